//! A headless Chromium for the browser tests: Debian's `chromium`, driven over WebDriver by
//! Debian's `chromedriver` on a free loopback port, with a fresh profile and no way to reach any
//! host but 127.0.0.1.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// Debian's packages `chromium` and `chromium-driver` install these.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long any one step may take (a debug build answers a fleet-wide query slowly).
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// Ok when both programs are installed, otherwise which one is missing.
pub fn installed() -> Result<(), String> {
    match [CHROMIUM, CHROMEDRIVER]
        .iter()
        .find(|p| !Path::new(p).exists())
    {
        Some(missing) => Err(format!("{missing} is not installed")),
        None => Ok(()),
    }
}

/// chromedriver in its own process group, and one headless Chromium session through it.
pub struct Browser {
    driver: Child,
    profile: PathBuf,
    client: Option<Client>,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a session with a fresh profile.
    pub async fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let profile = std::env::temp_dir().join(format!(
            "kandji-gateway-chromium-{}-{port}",
            std::process::id()
        ));
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut browser = Browser {
            driver,
            profile,
            client: None,
        };

        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < STEP_TIMEOUT,
                "chromedriver never listened"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // The resolver rule keeps every host but loopback unreachable, whatever the page asks.
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            &format!("--user-data-dir={}", browser.profile.display()),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("chromedriver opens a Chromium session");
        browser.client = Some(client);
        browser
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.client()
            .goto(url)
            .await
            .map_err(|e| format!("opening {url}: {e}"))
    }

    /// Clicks the first element matching `css`, as a user would.
    pub async fn click(&self, css: &str) -> Result<(), String> {
        let clicked = async { self.client().find(Locator::Css(css)).await?.click().await };
        clicked.await.map_err(|e| format!("clicking {css}: {e}"))
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub async fn script(&self, script: &str) -> Result<Value, String> {
        let value = self.client().execute(script, Vec::new()).await;
        value.map_err(|e| format!("running a script: {e}"))
    }

    /// Runs `script` until it returns something other than `null`, and returns that.
    pub async fn wait_for(&self, what: &str, script: &str) -> Result<Value, String> {
        let started = Instant::now();
        loop {
            let value = self.script(script).await?;
            if !value.is_null() {
                return Ok(value);
            }
            if started.elapsed() > STEP_TIMEOUT {
                let page = self
                    .script("return document.body.innerText.slice(0, 800);")
                    .await?;
                return Err(format!(
                    "no {what} after {STEP_TIMEOUT:?}; the page shows: {page}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Ends the session, which closes Chromium.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The group holds chromedriver and anything it started that is still running.
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
