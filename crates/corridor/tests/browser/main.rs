//! Browser tests in headless Chromium through chromedriver: what a person does on the pages.
//! These tests are `#[ignore]`d, since a fresh machine has no browser: `cargo test --
//! --include-ignored` runs them, and they fail without Chromium and chromedriver. Set
//! CORRIDOR_TEST_CHROMEDRIVER / CORRIDOR_TEST_CHROMIUM to use other binaries.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
mod notary_session;
mod plans;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use corridor::auth::OrgRole;
use corridor::directory::model::OrgKind;
use fantoccini::{Client, ClientBuilder, Locator};
use helpers::*;

fn find_binary(env: &str, candidates: &[&str]) -> Option<String> {
    if let Ok(path) = std::env::var(env) {
        return Some(path);
    }
    candidates
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
}

struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_browser() -> (Driver, Client) {
    start_browser_with(&[]).await
}

/// A browser with these Chromium flags added (fake camera and microphone, say).
async fn start_browser_with(extra: &[&str]) -> (Driver, Client) {
    const INSTALL: &str = "not found: this test needs apt-get install chromium chromium-driver";
    let driver = find_binary(
        "CORRIDOR_TEST_CHROMEDRIVER",
        &["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"],
    )
    .unwrap_or_else(|| panic!("chromedriver {INSTALL}"));
    let chromium = find_binary(
        "CORRIDOR_TEST_CHROMIUM",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    )
    .unwrap_or_else(|| panic!("chromium {INSTALL}"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver {
        child,
        port,
        _profile: profile,
    };
    let mut args: Vec<String> = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--window-size=412,900",
    ]
    .iter()
    .chain(extra)
    .map(|a| a.to_string())
    .collect();
    args.push(format!(
        "--user-data-dir={}",
        driver._profile.path().display()
    ));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": chromium, "args": args }),
    );
    // chromedriver takes a moment to listen; retry the session until it does.
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return (driver, client),
            Err(err) if started.elapsed() > Duration::from_secs(30) => {
                panic!("chromedriver did not start: {err}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Signs in through the login form at `login` (with its `next`), as a person would.
async fn sign_in(
    browser: &Client,
    app: &TestApp,
    login: &str,
    email: &str,
) -> Result<(), fantoccini::error::CmdError> {
    browser.goto(&app.url(login)).await?;
    browser
        .find(Locator::Css("#email"))
        .await?
        .send_keys(email)
        .await?;
    browser
        .find(Locator::Css("#password"))
        .await?
        .send_keys(PASSWORD)
        .await?;
    browser
        .find(Locator::Css("#login-submit"))
        .await?
        .click()
        .await
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn a_person_signs_in_switches_language_searches_and_edits_their_firm() {
    let (_driver, browser) = start_browser().await;
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let own = app.org("own-firm", OrgKind::LocalLawFirm, "CN").await;
    app.org("other-firm", OrgKind::LocalLawFirm, "CN").await;
    app.org("hanoi-partners", OrgKind::ForeignLawFirm, "VN")
        .await;
    app.user("admin@own.example", None, &[(&own, OrgRole::OrgAdmin)])
        .await;

    let result = async {
        // Sign in.
        sign_in(&browser, &app, "/login", "admin@own.example").await?;
        browser.wait().for_element(Locator::Css("#account")).await?;
        assert_eq!(text_of(&browser, "#account").await, "admin");

        // Switch language: the page and the next pages are in Chinese.
        browser
            .find(Locator::Css("#lang-zh"))
            .await?
            .click()
            .await?;
        browser.wait().for_element(Locator::Css("#lang-en")).await?;
        assert_eq!(
            text_of(&browser, "nav a[href='/directory']").await,
            "机构名录"
        );
        browser.goto(&app.url("/directory")).await?;
        assert_eq!(text_of(&browser, "h1").await, "机构名录");

        // Search the directory: typing narrows the results without a page load (htmx).
        browser
            .find(Locator::Css("#q"))
            .await?
            .send_keys("hanoi")
            .await?;
        browser
            .wait()
            .for_element(Locator::Css(
                "#org-results .card[data-slug='hanoi-partners']",
            ))
            .await?;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let cards = browser.find_all(Locator::Css("#org-results .card")).await?;
            if cards.len() == 1 {
                break;
            }
            assert!(Instant::now() < deadline, "results did not narrow to one");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            browser.current_url().await?.as_str().contains("q=hanoi"),
            "the search is in the URL"
        );

        // Edit own organization.
        browser
            .goto(&app.url("/organizations/own-firm/edit"))
            .await?;
        let name = browser.find(Locator::Css("#name_en")).await?;
        name.clear().await?;
        name.send_keys("Own Firm Edited In Browser").await?;
        browser.find(Locator::Css("#save")).await?.click().await?;
        browser
            .wait()
            .for_element(Locator::Css("#org-profile"))
            .await?;
        assert_eq!(
            app.store
                .find_organization(&corridor::ids::OrganizationKey::parse("own-firm").unwrap())
                .await
                .unwrap()
                .unwrap()
                .name_en,
            "Own Firm Edited In Browser"
        );

        // Be refused another organization's edit page.
        browser
            .goto(&app.url("/organizations/other-firm/edit"))
            .await?;
        let error = browser
            .wait()
            .for_element(Locator::Css("section.error"))
            .await?;
        assert_eq!(error.attr("data-code").await?.as_deref(), Some("forbidden"));
        assert!(
            browser
                .find_all(Locator::Css("#edit-form"))
                .await?
                .is_empty()
        );
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let screenshot = browser.screenshot().await;
    browser.close().await.ok();
    if let Ok(png) = screenshot {
        let path = std::env::temp_dir().join("corridor-browser-last.png");
        std::fs::write(&path, png).ok();
    }
    result.expect("browser steps");
}

/// Waits until `css` matches `n_ok(count)` elements, or fails after 10 s.
async fn wait_for_count(
    client: &Client,
    css: &str,
    n_ok: impl Fn(usize) -> bool,
) -> Result<usize, fantoccini::error::CmdError> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let n = client.find_all(Locator::Css(css)).await?.len();
        if n_ok(n) {
            return Ok(n);
        }
        assert!(Instant::now() < deadline, "{css}: {n} elements after 10 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The type of every hit shown, read in one step (results are swapped while we look).
async fn hit_types(client: &Client) -> Result<Vec<String>, fantoccini::error::CmdError> {
    let v = client
        .execute(
            "return Array.from(document.querySelectorAll('#hits li.hit')).map(e => e.dataset.type);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}

/// Waits until the hits shown are all of type `kind` (and there are some).
async fn wait_for_only(client: &Client, kind: &str) -> Result<(), fantoccini::error::CmdError> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let types = hit_types(client).await?;
        if !types.is_empty() && types.iter().all(|t| t == kind) {
            return Ok(());
        }
        assert!(
            Instant::now() < deadline,
            "results did not narrow to {kind}: {types:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn results_appear_as_a_person_types_and_a_facet_narrows_them() {
    let (_driver, browser) = start_browser().await;
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();

    let result = async {
        browser.goto(&app.url("/search")).await?;
        assert_eq!(
            browser.find_all(Locator::Css("#hits li.hit")).await?.len(),
            0
        );
        // A full page load would drop this; htmx swapping the results keeps it.
        browser
            .execute("window.corridorMarker = 42;", vec![])
            .await?;
        browser
            .find(Locator::Css("#q"))
            .await?
            .send_keys("越南 仲裁")
            .await?;
        // Each key typed may start a request; wait for the one with the whole text (htmx
        // pushes its URL) before reading the results.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = browser.current_url().await?;
            if url.query_pairs().any(|(k, v)| k == "q" && v == "越南 仲裁") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the search is not in the URL: {url}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        wait_for_count(&browser, "#hits li.hit", |n| n > 0).await?;
        let marker = browser
            .execute("return window.corridorMarker || null;", vec![])
            .await?;
        assert_eq!(
            marker,
            serde_json::json!(42),
            "results came without a page load"
        );
        let first = browser
            .find(Locator::Css("#hits li.hit h3 a"))
            .await?
            .attr("href")
            .await?
            .unwrap_or_default();
        assert!(
            first.starts_with("/guides/") || first.starts_with("/cases/"),
            "{first}"
        );
        let before = hit_types(&browser).await?;
        assert!(before.iter().any(|t| t != "case"), "{before:?}");
        let total_before = text_of(&browser, "#result-count").await;

        browser
            .find(Locator::Css(
                "#facets p[data-field='type'] a[href*='type=case']",
            ))
            .await?
            .click()
            .await?;
        wait_for_only(&browser, "case").await?;
        wait_for_count(&browser, "#facets a.selected", |n| n == 1).await?;
        assert_ne!(text_of(&browser, "#result-count").await, total_before);
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let url = browser.current_url().await?;
            if url.as_str().contains("type=case") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the narrowed search is in the URL: {url}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // The form's own filters still search as they change.
        browser
            .find(Locator::Css("select#type"))
            .await?
            .select_by_value("guide")
            .await?;
        wait_for_only(&browser, "guide").await?;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    browser.close().await.ok();
    result.expect("browser steps");
}

/// A lawyer opens a matter, invites a colleague abroad, files a document, writes, sets a task
/// and a hearing — all through the pages; the colleague sees it in their own time zone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn a_lawyer_works_a_matter_in_the_browser() {
    let (_driver, browser) = start_browser().await;
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let firm = app.org("yuzhong-law", OrgKind::LocalLawFirm, "CN").await;
    app.user("li@yuzhong.example", None, &[(&firm, OrgRole::Lawyer)])
        .await;
    let upload = tempfile::tempdir().unwrap();
    let file = upload.path().join("contract-合同.pdf");
    std::fs::write(&file, b"%PDF-1.7 contract").unwrap();

    let result = async {
        sign_in(&browser, &app, "/login?next=/matters", "li@yuzhong.example").await?;
        browser
            .wait()
            .for_element(Locator::Css("#new-matter"))
            .await?;

        // Open a matter.
        browser
            .find(Locator::Css("#title"))
            .await?
            .send_keys("Jakarta EPC dispute")
            .await?;
        browser
            .find(Locator::Css("#open-matter"))
            .await?
            .click()
            .await?;
        let reference = text_of(&browser, "#reference").await;
        assert!(reference.starts_with("YL-"), "{reference}");

        // Invite someone without an account: the link is shown once.
        browser
            .find(Locator::Css("#invite-email"))
            .await?
            .send_keys("partner@jakarta.example")
            .await?;
        browser
            .find(Locator::Css("#invite-form button"))
            .await?
            .click()
            .await?;
        let link = text_of(&browser, "#invitation-link").await;
        assert!(link.contains("/invitations/"), "{link}");

        // File a document through the upload form.
        browser
            .find(Locator::Css("#file"))
            .await?
            .send_keys(&file.display().to_string())
            .await?;
        browser.find(Locator::Css("#upload")).await?.click().await?;
        wait_for_count(&browser, "#document-list tr", |n| n == 1).await?;
        assert_eq!(
            text_of(&browser, "#document-list tr td a").await,
            "contract-合同.pdf"
        );

        // A message, a task and a hearing.
        browser
            .find(Locator::Css("#message-body"))
            .await?
            .send_keys("请确认开庭时间")
            .await?;
        browser
            .find(Locator::Css("#send-message"))
            .await?
            .click()
            .await?;
        wait_for_count(&browser, "#message-list li", |n| n == 1).await?;
        browser
            .find(Locator::Css("#task-title"))
            .await?
            .send_keys("Translate the statement of claim")
            .await?;
        browser
            .find(Locator::Css("#set-task"))
            .await?
            .click()
            .await?;
        wait_for_count(&browser, "#task-list li", |n| n == 1).await?;
        browser
            .find(Locator::Css("#meeting-title"))
            .await?
            .send_keys("Case management conference")
            .await?;
        browser
            .execute(
                "document.querySelector('#meeting-starts').value = '2030-03-04T14:00'; \
                 document.querySelector('#meeting-tz').value = 'Asia/Jakarta';",
                vec![],
            )
            .await?;
        browser
            .find(Locator::Css("#set-meeting"))
            .await?
            .click()
            .await?;
        wait_for_count(&browser, "#meeting-list li", |n| n == 1).await?;
        let meeting = text_of(&browser, "#meeting-list li").await;
        assert!(
            meeting.contains("2030-03-04 15:00"),
            "shown in the reader's zone (Shanghai): {meeting}"
        );
        let ics = browser
            .find(Locator::Css("#meeting-list li a[href$='/ics']"))
            .await?
            .attr("href")
            .await?
            .unwrap_or_default();
        assert!(ics.starts_with("/matters/"), "{ics}");
        assert!(wait_for_count(&browser, "#timeline-list li", |n| n >= 5).await? >= 5);
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let screenshot = browser.screenshot().await;
    browser.close().await.ok();
    if let Ok(png) = screenshot {
        std::fs::write(
            std::env::temp_dir().join("corridor-browser-matters.png"),
            png,
        )
        .ok();
    }
    result.expect("browser steps");
}
