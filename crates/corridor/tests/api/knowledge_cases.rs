//! The knowledge base's typical-case library: filters, re-imports of the shipped files, and
//! staff editing over the API and the TOML editor page.

use corridor::auth::OrgRole;
use corridor::directory::model::OrgKind;
use serde_json::json;

use crate::helpers::*;
use crate::knowledge::{bureau_token, get_json};
use crate::on_both_backends;

on_both_backends!(cases_filter_by_sector_and_country_of_enforcement);
/// "Construction disputes enforced in Indonesia" is a filter; values it cannot know are 422.
async fn cases_filter_by_sector_and_country_of_enforcement(app: TestApp) {
    let cases = get_json(&app, "/api/v1/cases?sector=construction&enforced_in=ID").await;
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 3, "{} cases", cases.len());
    for c in cases {
        assert_eq!(c["sector"], "construction", "{}", c["slug"]);
        assert!(
            c["enforcement"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["country"] == "ID" && e["result"] != "not_sought"),
            "{} was not taken to Indonesia for enforcement",
            c["slug"]
        );
    }
    let all = get_json(&app, "/api/v1/cases").await;
    assert!(
        all.as_array().unwrap().len() > cases.len(),
        "the filter narrows the library"
    );
    let refused = get_json(
        &app,
        "/api/v1/cases?sector=construction&enforced_in=ID&result=refused",
    )
    .await;
    for c in refused.as_array().unwrap() {
        assert!(
            c["enforcement"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["country"] == "ID" && e["result"] == "refused")
        );
    }
    assert!(refused.as_array().unwrap().len() < cases.len());
    let huatai = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    assert_eq!(huatai["demo"], false);
    assert!(
        !huatai["sources"].as_array().unwrap().is_empty(),
        "a real case names its source"
    );

    let c = app.client();
    for (query, field) in [
        ("sector=poetry", "sector"),
        ("enforced_in=XX", "enforced_in"),
        ("country=ZZ", "country"),
        ("result=won", "result"),
    ] {
        let (status, body) = error_of(
            c.get(app.url(&format!("/api/v1/cases?{query}")))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str().unwrap()),
            (422, "invalid_input"),
            "{query}"
        );
        assert!(
            body["message"].as_str().unwrap().contains(field),
            "{query}: {body}"
        );
    }
    assert_eq!(
        c.get(app.url("/api/v1/cases/no-such-case"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

on_both_backends!(re_importing_a_changed_case_replaces_it_and_its_filters);
/// A changed case file replaces the record and its country rows; the same file again is
/// left alone.
async fn re_importing_a_changed_case_replaces_it_and_its_filters(app: TestApp) {
    use corridor::knowledge::store::Imported;
    let (_, digest, original) = corridor::knowledge::shipped_cases()
        .unwrap()
        .into_iter()
        .find(|(n, _, _)| *n == "huatai-yimei-v-daotong-2018.toml")
        .unwrap();
    assert_eq!(
        app.store.import_case(&original, &digest).await.unwrap(),
        Imported::Unchanged
    );
    let mut changed = original.clone();
    changed.title_en = "Huatai Yimei v. Daotong (re-imported)".into();
    changed.countries = vec!["CN".into(), "VN".into()];
    assert_eq!(
        app.store
            .import_case(&changed, "another-digest")
            .await
            .unwrap(),
        Imported::Updated
    );
    let got = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    assert_eq!(got["title_en"], "Huatai Yimei v. Daotong (re-imported)");
    let in_vn = get_json(&app, "/api/v1/cases?country=VN").await;
    assert!(
        in_vn
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "huatai-yimei-v-daotong-2018")
    );
    let all = get_json(&app, "/api/v1/cases").await;
    let n = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["slug"] == "huatai-yimei-v-daotong-2018")
        .count();
    assert_eq!(n, 1, "the upsert kept one row");
}

on_both_backends!(staff_add_and_edit_cases_and_an_edit_survives_a_changed_file);
/// Commission and bureau staff add and correct cases: over the API (JSON) and in the TOML
/// editor page. Bad records are refused with the reason and change nothing; an edited case
/// keeps its edit when the shipped file changes; others may not edit.
async fn staff_add_and_edit_cases_and_an_edit_survives_a_changed_file(app: TestApp) {
    let token = bureau_token(&app).await;
    let c = app.client();
    let mut case = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    for k in ["edited", "updated_at"] {
        case.as_object_mut().unwrap().remove(k);
    }
    let mut new_case = case.clone();
    new_case["slug"] = json!("demo-api-added-case");
    new_case["demo"] = json!(true);
    new_case["title_en"] = json!("Added over the API (Demo)");
    new_case["title_zh"] = json!("经接口新增（演示）");
    new_case["sector"] = json!("energy");
    let r = c
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&new_case)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let energy = get_json(&app, "/api/v1/cases?sector=energy").await;
    assert!(
        energy
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "demo-api-added-case" && c["edited"] == true)
    );
    // The same slug again is a conflict; an unknown sector is 422; neither changes anything.
    let r = c
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&new_case)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let mut bad = new_case.clone();
    bad["sector"] = json!("poetry");
    let (status, body) = error_of(
        c.put(app.url("/api/v1/cases/demo-api-added-case"))
            .bearer_auth(&token)
            .json(&bad)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["message"].as_str().unwrap().contains("sector"),
        "{body}"
    );
    let mut renamed = new_case.clone();
    renamed["slug"] = json!("demo-other-slug");
    assert_eq!(
        c.put(app.url("/api/v1/cases/demo-api-added-case"))
            .bearer_auth(&token)
            .json(&renamed)
            .send()
            .await
            .unwrap()
            .status(),
        422
    );
    assert_eq!(
        get_json(&app, "/api/v1/cases/demo-api-added-case").await["sector"],
        "energy"
    );
    // Strangers may not write.
    assert_eq!(
        c.post(app.url("/api/v1/cases"))
            .json(&new_case)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let firm = app.org("demo-firm-k", OrgKind::LocalLawFirm, "CN").await;
    let lawyer = app
        .user("lawyer@x.example", None, &[(&firm, OrgRole::Lawyer)])
        .await;
    let lawyer_token = app.token_for(&lawyer).await;
    assert_eq!(
        c.post(app.url("/api/v1/cases"))
            .bearer_auth(&lawyer_token)
            .json(&new_case)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // The editor page: correct a real case, then a broken record keeps the typed text.
    let s = app.login("bureau@x.example").await;
    let form = s
        .get(app.url("/cases/huatai-yimei-v-daotong-2018/edit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let text = select_texts(&form, "textarea#record").pop().unwrap();
    assert!(
        text.contains("slug = \"huatai-yimei-v-daotong-2018\""),
        "{text}"
    );
    let csrf = select_attrs(&form, "#case-form input[name=csrf]", "value")
        .pop()
        .unwrap();
    let corrected = text.replace(
        "lessons_en = \"",
        "lessons_en = \"Corrected on the platform. ",
    );
    let r = s
        .post(app.url("/cases/huatai-yimei-v-daotong-2018/edit"))
        .form(&[("csrf", csrf.as_str()), ("record", corrected.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let saved = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    assert!(
        saved["lessons_en"]
            .as_str()
            .unwrap()
            .starts_with("Corrected on the platform.")
    );
    assert_eq!(saved["edited"], true);
    let broken = corrected.replace("sector = ", "sector = poetry # ");
    let r = s
        .post(app.url("/cases/huatai-yimei-v-daotong-2018/edit"))
        .form(&[("csrf", csrf.as_str()), ("record", broken.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert_eq!(select_texts(&html, "#edit-error").len(), 1);
    assert_eq!(
        select_texts(&html, "textarea#record").pop().unwrap(),
        broken,
        "the typed text is kept"
    );

    // A changed shipped file does not overwrite the edit.
    use corridor::knowledge::store::Imported;
    let (_, _, shipped) = corridor::knowledge::shipped_cases()
        .unwrap()
        .into_iter()
        .find(|(n, _, _)| *n == "huatai-yimei-v-daotong-2018.toml")
        .unwrap();
    assert_eq!(
        app.store
            .import_case(&shipped, "a-newer-file")
            .await
            .unwrap(),
        Imported::KeptEdits
    );
    let kept = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    assert!(
        kept["lessons_en"]
            .as_str()
            .unwrap()
            .starts_with("Corrected on the platform.")
    );
}
