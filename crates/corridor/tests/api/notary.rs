//! Notary offices: an evidence bundle anchored through the server's ledger (the outbox, the
//! sequencer, a signed checkpoint) verifies offline with the `corridor` binary, and every way of
//! tampering with it is caught with the contract's exit code.

use std::path::Path;
use std::process::{Command, Output};

use corridor::auth::audit::Who;
use corridor::notary::bundle::{self, BundleInput};
use serde_json::Value;

use crate::helpers::*;
use crate::on_both_backends;

fn verify_bundle(dir: &Path, file: &str, vkey: &str, json: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corridor"));
    cmd.current_dir(dir)
        .args(["verify", "bundle", file, "--vkey", vkey]);
    if json {
        cmd.arg("--json");
    }
    cmd.output().expect("run corridor")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

on_both_backends!(an_anchored_evidence_bundle_verifies_offline_and_tampering_is_named);
/// A bundle built and anchored on the server verifies offline; tampering is named.
async fn an_anchored_evidence_bundle_verifies_offline_and_tampering_is_named(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "screenshot.png",
            b"\x89PNG a screenshot of the listing".to_vec(),
        ),
        ("page.har", b"{\"log\":{\"entries\":[]}}".to_vec()),
        ("封条-0042.jpg", b"photo of seal 0042".to_vec()),
    ];
    let inputs: Vec<BundleInput> = files
        .iter()
        .enumerate()
        .map(|(i, (name, bytes))| {
            let source = dir.path().join(format!("in-{i}"));
            std::fs::write(&source, bytes).unwrap();
            BundleInput {
                name: name.to_string(),
                source,
            }
        })
        .collect();
    let prepared = bundle::prepare("evidence-0001", chrono::Utc::now(), &inputs).unwrap();
    let anchored = bundle::anchor_in_ledger(app.ledger(), &Who::cli(), &prepared)
        .await
        .expect("anchored with a receipt");
    let vkey = anchored.vkey.clone();
    let receipt = anchored.receipt.clone().unwrap();
    let bytes = prepared
        .write(&anchored.record, &receipt, Vec::new())
        .unwrap();
    std::fs::write(dir.path().join("bundle.tar"), &bytes).unwrap();

    // Valid: exit 0, and the JSON names the entry in the log.
    let out = verify_bundle(dir.path(), "bundle.tar", &vkey, true);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["details"]["receipt"]["leaf_index"], anchored.index);
    assert_eq!(report["details"]["files"].as_array().unwrap().len(), 3);
    let out = verify_bundle(dir.path(), "bundle.tar", &vkey, false);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).starts_with("valid: 3 files"),
        "{}",
        text(&out.stdout)
    );

    // One byte of one file: exit 1, naming that file.
    let mut changed = bytes.clone();
    let at = changed.windows(9).position(|w| w == b"seal 0042").unwrap();
    changed[at + 8] = b'3';
    std::fs::write(dir.path().join("changed.tar"), &changed).unwrap();
    let out = verify_bundle(dir.path(), "changed.tar", &vkey, true);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["altered"][0]["path"], "files/封条-0042.jpg");
    assert_eq!(report["altered"][0]["change"], "content");
    assert!(
        text(&out.stderr).contains("files/封条-0042.jpg"),
        "{}",
        text(&out.stderr)
    );

    // The manifest: exit 1, naming it.
    let mut changed = bytes.clone();
    let at = changed
        .windows(13)
        .position(|w| w == b"evidence-0001")
        .unwrap();
    changed[at + 12] = b'2';
    std::fs::write(dir.path().join("manifest.tar"), &changed).unwrap();
    let out = verify_bundle(dir.path(), "manifest.tar", &vkey, true);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["altered"][0]["path"], "manifest.json");

    // Truncated: exit 2.
    std::fs::write(dir.path().join("cut.tar"), &bytes[..bytes.len() - 1500]).unwrap();
    let out = verify_bundle(dir.path(), "cut.tar", &vkey, true);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["unreadable"], true);

    // Another log's key: exit 1 (not proven by this log); a key that is not a key: exit 2.
    let other = bundle::ThrowawayLog::new(app.ledger().origin(), [3; 32])
        .unwrap()
        .vkey();
    let out = verify_bundle(dir.path(), "bundle.tar", &other, false);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("bad_checkpoint") || err.contains("not_signed_by_log"),
        "{err}"
    );
    let out = verify_bundle(dir.path(), "bundle.tar", "garbage", false);
    assert_eq!(out.status.code(), Some(2));
    let out = verify_bundle(dir.path(), "missing.tar", &vkey, false);
    assert_eq!(out.status.code(), Some(2));
}

async fn ask(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client()
        .post(app.url("/api/v1/notary/eligibility"))
        .json(body)
        .send()
        .await
        .unwrap()
}

fn applicant() -> Value {
    serde_json::json!({
        "date": "2026-12-04", "nationality": "CN", "mainland_resident": true,
        "residence_country": "DE", "days_resident": 179, "residence_status": "work_visa",
        "matter": "entrustment", "use_in": "CN", "needs_interpreter": false,
        "disposes_property": false
    })
}

on_both_backends!(the_eligibility_api_answers_with_reasons_and_names_bad_fields);
/// Anyone may ask; a matter outside the list is an answer; bad input is a 422 naming the field.
async fn the_eligibility_api_answers_with_reasons_and_names_bad_fields(app: TestApp) {
    let r = ask(&app, &applicant()).await;
    assert_eq!(r.status(), 200);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["verdict"], "eligible");

    let mut declaration = applicant();
    declaration["matter"] = "declaration".into();
    declaration["disposes_property"] = true.into();
    let a: Value = ask(&app, &declaration).await.json().await.unwrap();
    assert_eq!(a["verdict"], "eligible_with_conditions");
    assert_eq!(
        a["conditions"][0]["code"],
        "property_disposal_paper_original"
    );

    let mut other = applicant();
    other["matter"] = "will".into();
    other["residence_status"] = "none".into();
    let r = ask(&app, &other).await;
    assert_eq!(r.status(), 200);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["verdict"], "ineligible");
    let codes: Vec<&str> = a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["long_term_resident", "matter_type"]);
    assert!(a["reasons"][1]["zh"].as_str().unwrap().contains("事项"));

    let mut bad = applicant();
    bad["residence_status"] = "tourist".into();
    let r = ask(&app, &bad).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert!(e["code"].is_string(), "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("residence_status"),
        "{e}"
    );
    bad = applicant();
    bad.as_object_mut().unwrap().remove("date");
    let r = ask(&app, &bad).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert!(e["message"].as_str().unwrap().contains("date"), "{e}");
    let r = app
        .client()
        .post(app.url("/api/v1/notary/eligibility"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert!(matches!(r.status().as_u16(), 400 | 422), "{}", r.status());
}

on_both_backends!(the_eligibility_page_answers_in_words_in_both_languages);
/// The form answers in the reader's language, each rule in words with its source.
async fn the_eligibility_page_answers_in_words_in_both_languages(app: TestApp) {
    let client = app.client();
    let page = client
        .get(app.url("/notary/eligibility"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = scraper::Html::parse_document(&page.text().await.unwrap());
    let form = scraper::Selector::parse("form#notary-eligibility select#matter option").unwrap();
    assert!(
        html.select(&form).count() >= 15,
        "the listed matters and 'another matter'"
    );

    let query = "date=2026-12-04&nationality=CN&mainland_resident=yes&residence_country=DE\
        &days_resident=179&residence_status=none&matter=other&use_in=CN\
        &needs_interpreter=no&disposes_property=no";
    for (lang, verdict, words) in [
        ("en", "Not eligible", "permitted"),
        ("zh-CN", "不符合条件", "允许办理"),
    ] {
        let r = client
            .get(app.url(&format!("/notary/eligibility?{query}")))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let html = scraper::Html::parse_document(&r.text().await.unwrap());
        let sel = |s: &str| scraper::Selector::parse(s).unwrap();
        let v: String = html
            .select(&sel("#answer .verdict"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(v.trim(), verdict, "{lang}");
        let codes: Vec<&str> = html
            .select(&sel("#answer ul.reasons li"))
            .map(|li| li.value().attr("data-code").unwrap())
            .collect();
        assert_eq!(codes, ["long_term_resident", "matter_type"], "{lang}");
        let text: String = html
            .select(&sel("#answer ul.reasons li[data-code=matter_type] .words"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(text.contains(words), "{lang}: {text}");
        assert!(
            html.select(&sel("#answer ul.reasons li .source a"))
                .next()
                .is_some()
        );
    }

    let r = client
        .get(app.url("/notary/eligibility?date=2026-02-30&nationality=CN"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = scraper::Html::parse_document(&r.text().await.unwrap());
    let alert: String = html
        .select(&scraper::Selector::parse("form .alert.error").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(alert.contains("date"), "{alert}");
}
