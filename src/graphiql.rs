//! GraphiQL, served by the gateway itself so that it works with no internet access.
//!
//! `build.rs` installs the npm packages pinned in `graphiql/package-lock.json` and this module
//! embeds the four browser files GraphiQL needs: its stylesheet and script, React and ReactDOM.
//! A build without npm embeds none of them and the page loads the same versions from unpkg.com
//! instead; `assets_mode` says which. The small script that mounts GraphiQL is ours and always
//! comes from the gateway, so the page has no inline script for a strict CSP to allow.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// Where the assets are served; file names carry their version or content hash.
const ASSET_PREFIX: &str = "/graphiql/";

/// Caching for assets whose name changes whenever their content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The query GraphiQL opens on: the fleet view a compliance team starts from.
const DEFAULT_QUERY: &str = "\
# Fleet compliance: how many Macs pass each control, and which fail.
query FleetCompliance {
  complianceSummary {
    total compliant nonCompliant unknown notSupported
    byControl { control pass fail unknown notApplicable }
  }
  devices(first: 10, filter: { complianceStatus: NON_COMPLIANT }) {
    totalCount
    edges { node { name serialNumber user { email } compliance { failingControls } } }
  }
}
";

/// Mounts GraphiQL on `#graphiql`; `DEFAULT_QUERY_JSON` is replaced by the query as a JSON
/// string. Its own storage namespace keeps tabs saved by another GraphiQL on the same origin
/// (the stock page of earlier versions) from hiding the example.
///
/// GraphiQL 4 cannot open with a plugin showing: its `visiblePlugin` prop selects the docs but
/// leaves their pane collapsed. So the script presses the docs button once it has rendered.
const START_SCRIPT: &str = r#"// Mounts GraphiQL for kandji-gateway (src/graphiql.rs).
(function () {
  "use strict";
  var container = document.getElementById("graphiql");
  document.body.style.margin = "0";
  container.style.height = "100vh";
  ReactDOM.createRoot(container).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: "/graphql" }),
      defaultQuery: DEFAULT_QUERY_JSON,
      storage: GraphiQL.createLocalStorage({ namespace: "kandji-gateway" })
    })
  );

  var attempts = 0;
  (function showDocs() {
    var button = document.querySelector('[aria-label="Show Documentation Explorer"]');
    if (button) {
      button.click();
    } else if (++attempts < 200) {
      setTimeout(showDocs, 25);
    }
  })();
})();
"#;

/// One file from npm, as `build.rs` describes it in the generated table.
struct VendorAsset {
    /// The versioned name it is served under, e.g. `graphiql-4.1.2.min.js`.
    file: &'static str,
    content_type: &'static str,
    /// Where unpkg serves the same file, for a build without npm.
    cdn_url: &'static str,
    /// The file itself; empty in a CDN build.
    body: &'static [u8],
}

/// The stylesheet, then the scripts in the order they must run.
static VENDOR: [VendorAsset; 4] = include!(concat!(env!("OUT_DIR"), "/graphiql_assets.rs"));

/// Our start script with its content-hashed file name.
struct StartScript {
    file: String,
    body: String,
}

fn start_script() -> &'static StartScript {
    static SCRIPT: OnceLock<StartScript> = OnceLock::new();
    SCRIPT.get_or_init(|| {
        let query = serde_json::to_string(DEFAULT_QUERY).expect("a string serialises");
        let body = START_SCRIPT.replace("DEFAULT_QUERY_JSON", &query);
        let file = format!("start-{:016x}.js", fnv1a(body.as_bytes()));
        StartScript { file, body }
    })
}

/// FNV-1a, enough to give the start script a name that changes with its content.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Where the page loads a vendor file from in this build.
fn vendor_url(asset: &VendorAsset) -> String {
    if cfg!(graphiql_cdn) {
        asset.cdn_url.to_string()
    } else {
        format!("{ASSET_PREFIX}{}", asset.file)
    }
}

/// The GraphiQL page, its assets served by this gateway (or a CDN in a build without npm).
pub fn page() -> Html<String> {
    #[cfg(graphiql_cdn)]
    {
        static WARNED: std::sync::Once = std::sync::Once::new();
        WARNED.call_once(|| {
            tracing::warn!(
                reason = env!("GATEWAY_GRAPHIQL_CDN_REASON"),
                "GraphiQL loads its assets from unpkg.com and needs internet access"
            );
        });
    }

    let [stylesheet, scripts @ ..] = &VENDOR;
    let mut html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Kandji gateway: GraphiQL</title>\n\
         <link rel=\"stylesheet\" href=\"{}\">\n</head>\n<body>\n\
         <div id=\"graphiql\">Loading GraphiQL…</div>\n\
         <noscript>GraphiQL needs JavaScript; POST queries to /graphql instead.</noscript>\n",
        vendor_url(stylesheet)
    );
    for script in scripts {
        html.push_str(&format!(
            "<script src=\"{}\"></script>\n",
            vendor_url(script)
        ));
    }
    html.push_str(&format!(
        "<script src=\"{ASSET_PREFIX}{}\"></script>\n</body>\n</html>\n",
        start_script().file
    ));
    Html(html)
}

/// Routes for the assets: `GET /graphiql/<file>` with content types, long-lived
/// `Cache-Control: public, max-age=31536000, immutable` (file names carry the version).
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/graphiql/{file}", get(asset))
}

/// "bundled" or "cdn".
pub fn assets_mode() -> &'static str {
    if cfg!(graphiql_cdn) { "cdn" } else { "bundled" }
}

/// `GET /graphiql/{file}`: an embedded vendor file or the start script.
async fn asset(Path(file): Path<String>) -> Response {
    let start = start_script();
    if file == start.file {
        return immutable("text/javascript; charset=utf-8", start.body.clone().into());
    }
    match VENDOR.iter().find(|asset| asset.file == file) {
        Some(asset) if !cfg!(graphiql_cdn) => immutable(asset.content_type, asset.body.into()),
        _ => (StatusCode::NOT_FOUND, "no such GraphiQL file\n").into_response(),
    }
}

fn immutable(content_type: &'static str, body: axum::body::Body) -> Response {
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, IMMUTABLE),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    (headers, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_loads_vendor_files_in_order_then_the_start_script() {
        let Html(html) = page();
        let start = format!("{ASSET_PREFIX}{}", start_script().file);
        let order: Vec<usize> = VENDOR
            .iter()
            .map(vendor_url)
            .chain([start])
            .map(|url| {
                html.find(&url)
                    .unwrap_or_else(|| panic!("{url} not in {html}"))
            })
            .collect();
        assert!(order.is_sorted(), "out of order: {order:?}");
        assert!(!html.contains("<script>"), "inline script in {html}");
    }

    #[test]
    fn vendor_files_are_the_locked_versions_of_graphiql_and_react() {
        let files: Vec<&str> = VENDOR.iter().map(|asset| asset.file).collect();
        assert_eq!(
            files,
            [
                "graphiql-4.1.2.min.css",
                "react-18.3.1.production.min.js",
                "react-dom-18.3.1.production.min.js",
                "graphiql-4.1.2.min.js",
            ]
        );
    }

    #[test]
    fn page_refers_only_to_its_own_origin_in_a_bundled_build() {
        let Html(html) = page();
        let external = html.contains("https://") || html.contains("http://");
        assert_eq!(external, assets_mode() == "cdn", "{html}");
        if assets_mode() == "cdn" {
            assert!(html.contains("https://unpkg.com/react@18.3.1/umd/react.production.min.js"));
        }
    }

    #[test]
    fn start_script_posts_to_graphql_and_opens_the_fleet_compliance_query() {
        let script = &start_script().body;
        assert!(script.contains(r#"createFetcher({ url: "/graphql" })"#));
        assert!(script.contains(r##""# Fleet compliance: how many Macs pass each control"##));
        assert!(script.contains(r#"compliance { failingControls } } }\n  }\n}\n""#));
        assert!(!script.contains("DEFAULT_QUERY_JSON"));
    }

    #[tokio::test]
    async fn assets_are_served_with_their_type_and_cached_for_a_year() {
        let start = asset(Path(start_script().file.clone())).await;
        assert_eq!(start.status(), StatusCode::OK);
        assert_eq!(start.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(
            start.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );

        let css = asset(Path("graphiql-4.1.2.min.css".to_string())).await;
        if assets_mode() == "bundled" {
            assert_eq!(css.status(), StatusCode::OK);
            assert_eq!(
                css.headers()[header::CONTENT_TYPE],
                "text/css; charset=utf-8"
            );
            assert_eq!(css.headers()[header::CACHE_CONTROL], IMMUTABLE);
            let body = axum::body::to_bytes(css.into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(body.len(), VENDOR[0].body.len());
            assert!(body.starts_with(b"@font-face"), "not GraphiQL's stylesheet");
        } else {
            assert_eq!(css.status(), StatusCode::NOT_FOUND);
        }
    }

    #[tokio::test]
    async fn unknown_and_unversioned_asset_names_are_not_found() {
        for name in [
            "graphiql.min.js",
            "start.js",
            "../Cargo.toml",
            "react-17.0.0.min.js",
        ] {
            let response = asset(Path(name.to_string())).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{name}");
        }
    }

    #[test]
    fn start_script_name_changes_with_its_content() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
        assert!(start_script().file.starts_with("start-") && start_script().file.ends_with(".js"));
    }
}
