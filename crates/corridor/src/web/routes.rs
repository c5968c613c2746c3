//! Page routes kept as a table as well as a router. axum cannot list a router's routes, and
//! the authorization test must find every form the pages accept, so each page module declares
//! its routes once, through [`page_routes!`], and gets both.

/// `(path, route expression)` of one page route, e.g. `("/matters", "get(list).post(open)")`.
pub type PageRoute = (&'static str, &'static str);

/// Declares a module's `router()` and `routes()` from one list of `"path" => method_router`.
macro_rules! page_routes {
    ($($path:literal => $route:expr),* $(,)?) => {
        pub fn router() -> axum::Router<$crate::state::AppState> {
            axum::Router::new()$(.route($path, $route))*
        }

        /// This module's routes with their method routers as written, for the route table.
        pub fn routes() -> Vec<$crate::web::routes::PageRoute> {
            vec![$(($path, stringify!($route))),*]
        }
    };
}
pub(crate) use page_routes;

/// The methods a route expression serves: `get(a).post(b)` serves GET and POST.
pub fn methods(route: &str) -> Vec<&'static str> {
    let compact: String = route.chars().filter(|c| !c.is_whitespace()).collect();
    [
        ("get(", "GET"),
        ("post(", "POST"),
        ("put(", "PUT"),
        ("patch(", "PATCH"),
        ("delete(", "DELETE"),
    ]
    .into_iter()
    .filter(|(call, _)| compact.starts_with(call) || compact.contains(&format!(".{call}")))
    .map(|(_, method)| method)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::methods;

    #[test]
    fn methods_are_read_from_the_route_expression() {
        assert_eq!(methods("get(list).post(open)"), ["GET", "POST"]);
        assert_eq!(
            methods("post (upload).layer(DefaultBodyLimit::disable())"),
            ["POST"]
        );
        assert_eq!(methods("get(super::files::public_file)"), ["GET"]);
        // A handler whose name contains a method word is not a method.
        assert_eq!(methods("get(delete_page)"), ["GET"]);
        assert!(methods("nothing(x)").is_empty());
    }
}
