//! Which page forms have a case: every state-changing route the pages serve must be in the
//! page-form matrix (`page_forms.rs`) or in the test this file names for it.

use crate::page_forms::PageForm;

/// Page forms whose matrix lives in another test.
const COVERED_ELSEWHERE: [&str; 7] = [
    // authorization.rs, page_routes_by_role_and_organization
    "/organizations/{key}/edit",
    // matters_matrix.rs, matter_page_forms_by_standing
    "/matters/{id}/status",
    "/matters/{id}/participants",
    "/matters/{id}/documents",
    "/matters/{id}/messages",
    "/matters/{id}/tasks",
    "/matters/{id}/meetings",
];

/// Every state-changing page route the router serves has a case, so a new form without one
/// fails here.
#[test]
fn every_page_form_has_a_case() {
    let covered: Vec<&str> = PageForm::all()
        .iter()
        .map(|f| f.path())
        .chain(COVERED_ELSEWHERE)
        .collect();
    let routes: Vec<(String, String)> = corridor::app::served_routes()
        .into_iter()
        .filter(|(_, path)| !path.starts_with("/api/"))
        .collect();
    assert!(
        routes
            .iter()
            .any(|(method, path)| method == "POST" && path == "/login"),
        "the server's routes include the page forms"
    );
    let missing: Vec<String> = routes
        .iter()
        .filter(|(method, _)| !matches!(method.as_str(), "GET" | "HEAD"))
        .filter(|(_, path)| !covered.contains(&path.as_str()))
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    assert!(
        missing.is_empty(),
        "page forms without a case in an authorization matrix:\n{}",
        missing.join("\n")
    );
    for path in &covered {
        assert!(
            routes.iter().any(|(_, p)| p == path),
            "a case names {path}, which the pages do not serve"
        );
    }
}
