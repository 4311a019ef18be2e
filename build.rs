//! Build script: fetches GraphiQL's browser files with npm so the gateway can serve them itself.
//!
//! GraphiQL must work with no internet access, so its files cannot come from a CDN at run
//! time, and they are never copied into the repository either: `graphiql/package-lock.json`
//! pins them with integrity hashes, and this script runs `npm ci` in `$OUT_DIR/graphiql` (npm's
//! cache makes later builds offline). It then writes `$OUT_DIR/graphiql_assets.rs`, the table of
//! files that `src/graphiql.rs` embeds with `include_bytes!`.
//!
//! Where npm is missing or fails, or `GATEWAY_GRAPHIQL_CDN=1` asks for it, the build still
//! succeeds: it warns why, sets the `graphiql_cdn` cfg, and the page loads the same versions
//! from unpkg.com instead.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The environment variable that forces the CDN build (to test the fallback).
const CDN_ENV: &str = "GATEWAY_GRAPHIQL_CDN";

/// Where the pinned npm manifest and lockfile live, relative to the manifest directory.
const PACKAGE_DIR: &str = "graphiql";

/// `npm ci` without install scripts. `--prefer-offline` takes tarballs from npm's cache without
/// asking the registry; the fetch limits keep a machine with no route out from hanging for
/// minutes.
const NPM_CI: [&str; 8] = [
    "ci",
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    "--no-progress",
    "--fetch-retries=1",
    "--fetch-timeout=60000",
];

/// A browser file from an npm package: the package, its path inside the package, the name the
/// gateway serves it under (`{v}` is the version) and its content type.
struct VendorFile {
    package: &'static str,
    path: &'static str,
    served_as: &'static str,
    content_type: &'static str,
}

/// The files GraphiQL needs in a browser, in the order the page loads them.
const VENDOR_FILES: [VendorFile; 4] = [
    VendorFile {
        package: "graphiql",
        path: "graphiql.min.css",
        served_as: "graphiql-{v}.min.css",
        content_type: "text/css; charset=utf-8",
    },
    VendorFile {
        package: "react",
        path: "umd/react.production.min.js",
        served_as: "react-{v}.production.min.js",
        content_type: "text/javascript; charset=utf-8",
    },
    VendorFile {
        package: "react-dom",
        path: "umd/react-dom.production.min.js",
        served_as: "react-dom-{v}.production.min.js",
        content_type: "text/javascript; charset=utf-8",
    },
    VendorFile {
        package: "graphiql",
        path: "graphiql.min.js",
        served_as: "graphiql-{v}.min.js",
        content_type: "text/javascript; charset=utf-8",
    },
];

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    let source = manifest_dir.join(PACKAGE_DIR);
    println!("cargo:rerun-if-changed={PACKAGE_DIR}/package.json");
    println!("cargo:rerun-if-changed={PACKAGE_DIR}/package-lock.json");
    println!("cargo:rerun-if-env-changed={CDN_ENV}");
    println!("cargo:rustc-check-cfg=cfg(graphiql_cdn)");

    // The lockfile names the versions in both modes: the CDN serves the same ones.
    let lock = fs::read_to_string(source.join("package-lock.json"))
        .expect("graphiql/package-lock.json is part of the repository");
    let versions: Vec<String> = VENDOR_FILES
        .iter()
        .map(|file| locked_version(&lock, file.package))
        .collect();

    let installed = if env::var(CDN_ENV).is_ok_and(|v| !v.is_empty() && v != "0") {
        Err(format!(
            "{CDN_ENV} is set: GraphiQL will load its assets from a CDN (unpkg.com)"
        ))
    } else {
        install(&source, &out_dir.join(PACKAGE_DIR))
    };

    let table = match installed {
        Ok(modules) => asset_table(&versions, Some(&modules)),
        Err(reason) => {
            println!("cargo:warning={reason}");
            println!("cargo:rustc-cfg=graphiql_cdn");
            println!("cargo:rustc-env=GATEWAY_GRAPHIQL_CDN_REASON={reason}");
            asset_table(&versions, None)
        }
    };
    fs::write(out_dir.join("graphiql_assets.rs"), table).expect("OUT_DIR is writable");
}

/// Installs the locked packages into `work` and returns its `node_modules`, or says why not.
fn install(source: &Path, work: &Path) -> Result<PathBuf, String> {
    let modules = work.join("node_modules");
    let lock = fs::read(source.join("package-lock.json")).map_err(|e| e.to_string())?;
    let stamp = work.join("installed-package-lock.json");

    // A rerun with the same lockfile (toggling the CDN variable) reuses the last install.
    let complete = |m: &Path| {
        VENDOR_FILES
            .iter()
            .all(|f| m.join(f.package).join(f.path).is_file())
    };
    if fs::read(&stamp).is_ok_and(|installed| installed == lock) && complete(&modules) {
        return Ok(modules);
    }

    fs::create_dir_all(work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    for name in ["package.json", "package-lock.json"] {
        fs::copy(source.join(name), work.join(name))
            .map_err(|e| format!("cannot copy graphiql/{name}: {e}"))?;
    }
    let _ = fs::remove_file(&stamp);

    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let output = Command::new(npm).args(NPM_CI).current_dir(work).output();
    let output = match output {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(
                "npm not found: GraphiQL will load its assets from a CDN; install \
                 Node.js/npm and rebuild for offline use (`cargo clean -p kandji-gateway` first)"
                    .to_string(),
            );
        }
        Err(e) => return Err(format!("npm could not start ({e}): {}", fallback_advice())),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let cause = stderr
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .take(3)
            .collect::<Vec<_>>()
            .join(" / ");
        return Err(format!(
            "`npm ci` in {} failed ({}: {cause}): {}",
            work.display(),
            output.status,
            fallback_advice()
        ));
    }

    if !complete(&modules) {
        return Err(format!(
            "`npm ci` did not install every GraphiQL file: {}",
            fallback_advice()
        ));
    }
    fs::write(&stamp, &lock).map_err(|e| e.to_string())?;
    Ok(modules)
}

/// The end of every fallback warning after npm was found.
fn fallback_advice() -> &'static str {
    "GraphiQL will load its assets from a CDN; fix npm (it needs the npm registry once, then \
     its cache) and rebuild for offline use (`cargo clean -p kandji-gateway` first)"
}

/// The version the lockfile pins for `package` (a top-level entry of `node_modules`).
fn locked_version(lock: &str, package: &str) -> String {
    let key = format!("\"node_modules/{package}\": {{");
    let entry = lock
        .find(&key)
        .unwrap_or_else(|| panic!("graphiql/package-lock.json has no entry for {package}"));
    let rest = &lock[entry + key.len()..];
    let field = rest
        .find("\"version\": \"")
        .unwrap_or_else(|| panic!("no version for {package} in graphiql/package-lock.json"));
    let value = &rest[field + "\"version\": \"".len()..];
    value[..value.find('"').expect("a closed string")].to_string()
}

/// Rust source for `[VendorAsset; 4]`, with each file's bytes when `modules` is given.
fn asset_table(versions: &[String], modules: Option<&Path>) -> String {
    let mut table = String::from("// Generated by build.rs from graphiql/package-lock.json.\n[\n");
    for (file, version) in VENDOR_FILES.iter().zip(versions) {
        let body = match modules {
            Some(modules) => {
                let path = modules.join(file.package).join(file.path);
                format!("include_bytes!({:?})", path.display().to_string())
            }
            None => "&[]".to_string(),
        };
        table.push_str(&format!(
            "    VendorAsset {{ file: {:?}, content_type: {:?}, cdn_url: {:?}, body: {body} }},\n",
            file.served_as.replace("{v}", version),
            file.content_type,
            format!("https://unpkg.com/{}@{version}/{}", file.package, file.path),
        ));
    }
    table.push_str("]\n");
    table
}
