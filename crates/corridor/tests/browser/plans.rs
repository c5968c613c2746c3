//! One enterprise, one policy in the browser: a member of an enterprise describes a project,
//! answers the plan's questions, and saves it as a project.

use corridor::auth::OrgRole;
use corridor::directory::model::OrgKind;
use fantoccini::{Client, Locator};

use super::helpers::*;
use super::{sign_in, start_browser, text_of, wait_for_count};

async fn choose(
    browser: &Client,
    css: &str,
    value: &str,
) -> Result<(), fantoccini::error::CmdError> {
    browser
        .find(Locator::Css(css))
        .await?
        .select_by_value(value)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn an_enterprise_describes_a_project_answers_its_questions_and_keeps_the_plan() {
    let (_driver, browser) = start_browser().await;
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let acme = app
        .org("acme-demo-enterprise", OrgKind::Enterprise, "CN")
        .await;
    app.user(
        "wang@acme.example",
        None,
        &[(&acme, OrgRole::EnterpriseStaff)],
    )
    .await;

    let result = async {
        sign_in(
            &browser,
            &app,
            "/login?next=/plans/new",
            "wang@acme.example",
        )
        .await?;
        browser
            .wait()
            .for_element(Locator::Css("form#plan-interview"))
            .await?;

        // Describe the project in words: the country, how, what it does.
        choose(&browser, "#country", "ID").await?;
        choose(&browser, "#entry_mode", "acquisition").await?;
        choose(&browser, "#sector", "J").await?;
        browser
            .find(Locator::Css("#plan-interview button[type=submit]"))
            .await?
            .click()
            .await?;
        wait_for_count(&browser, "#plan section.plan-area", |n| n == 4).await?;
        let open_before = wait_for_count(&browser, "#facts .fact.open", |n| n > 0).await?;

        // Answer the first yes/no question "no": it is no longer open, and stays answered.
        let first = browser
            .find(Locator::Css("#facts .fact.open select"))
            .await?;
        let name = first.attr("name").await?.unwrap_or_default();
        first.select_by_value("no").await?;
        browser
            .find(Locator::Css("#plan-interview button[type=submit]"))
            .await?
            .click()
            .await?;
        wait_for_count(&browser, "#plan section.plan-area", |n| n == 4).await?;
        let answered = browser
            .find(Locator::Css(&format!(
                "#facts .fact select[name=\"{name}\"]"
            )))
            .await?;
        assert_eq!(answered.prop("value").await?.as_deref(), Some("no"));
        let open_after = browser
            .find_all(Locator::Css("#facts .fact.open"))
            .await?
            .len();
        assert!(
            open_after < open_before,
            "{open_after} open questions, {open_before} before"
        );

        // Save it as a project: the project's page shows the plan.
        browser
            .find(Locator::Css("#save-project #title"))
            .await?
            .send_keys("Jakarta data-centre acquisition")
            .await?;
        browser
            .find(Locator::Css("#save-project button[type=submit]"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("#project-facts"))
            .await?;
        assert_eq!(
            text_of(&browser, "h1").await,
            "Jakarta data-centre acquisition"
        );
        assert!(wait_for_count(&browser, "#plan li.plan-item", |n| n > 0).await? > 0);
        browser.goto(&app.url("/projects")).await?;
        assert_eq!(
            wait_for_count(&browser, "#project-list tbody tr", |n| n == 1).await?,
            1
        );
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let screenshot = browser.screenshot().await;
    browser.close().await.ok();
    if let Ok(png) = screenshot {
        std::fs::write(std::env::temp_dir().join("corridor-browser-plans.png"), png).ok();
    }
    result.expect("browser steps");
}
