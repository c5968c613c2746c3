//! Extractors whose rejections are [`AppError`]s, so a malformed body, query or path gets the
//! same `{code, message}` answer as any other mistake.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::response::{IntoResponse, Response};

use crate::AppError;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

#[derive(FromRequest)]
#[from_request(via(axum::Form), rejection(AppError))]
pub struct Form<T>(pub T);

macro_rules! from_rejection {
    ($($ty:ty),+) => {$(
        impl From<$ty> for AppError {
            fn from(rejection: $ty) -> Self {
                AppError::Unreadable { status: rejection.status(), detail: rejection.body_text() }
            }
        }
    )+};
}

from_rejection!(JsonRejection, QueryRejection, PathRejection, FormRejection);
