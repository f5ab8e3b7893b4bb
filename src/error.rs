//! The one error type handlers return. User errors become 4xx pages with a message the user can act
//! on; internal errors are logged once and shown as a plain 500 page without the cause.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

/// Every failure a request can end in.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The page or thing asked for does not exist (or is not the visitor's to see).
    #[error("not found")]
    NotFound,
    /// The page exists but does not support the request's method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request collided with a concurrent one (a unique key was taken meanwhile).
    #[error("conflict")]
    Conflict,
    /// No payment service is configured, so no order can be paid.
    #[error("no payment provider")]
    NoPayment,
    /// A staff page was asked for without a staff login.
    #[error("login required")]
    LoginRequired,
    /// An account page was asked for without a customer login.
    #[error("account login required")]
    AccountLoginRequired,
    /// Logged in, but the role does not allow this page or action.
    #[error("forbidden for this role")]
    Forbidden,
    /// The request was refused because its CSRF token was missing or wrong.
    #[error("invalid or missing form token")]
    Csrf,
    /// The request was malformed; the message key names what to fix.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A link or thing that existed but is used up, expired or deleted (410); the key says which.
    #[error("gone")]
    Gone(&'static str),
    /// The database could not be reached in time.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The payment service did not answer usefully; the order is kept and can be paid later.
    #[error("payment service failed: {0}")]
    PaymentService(String),
    /// Too many attempts; the number is the seconds to wait (sent as `Retry-After`).
    #[error("too many requests")]
    TooManyRequests(u64),
    /// Anything else: a bug or an unexpected failure. Keeps its cause, which is logged once
    /// with its whole chain and never shown.
    #[error("internal error: {0}")]
    Internal(#[source] BoxError),
}

/// Any error, kept whole (with its own sources) as the cause of an [`AppError::Internal`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl AppError {
    /// An internal error caused by `cause`: an error (kept with its sources) or a sentence.
    pub fn internal(cause: impl Into<BoxError>) -> AppError {
        AppError::Internal(cause.into())
    }
}

/// An error and each of its sources, joined with ": " (what the log needs to find the cause).
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // Many errors print their source in their own message already.
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Marker put on error responses so the error-page middleware renders them in the visitor's
/// language (a `ResponseError` cannot see the request).
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    /// Message-catalogue key of the sentence explaining what happened.
    pub message_key: &'static str,
}

/// Marker on a response whose body must reach the client as it is, even with an error status.
#[derive(Debug, Clone, Copy)]
pub struct KeepBody;

impl AppError {
    /// Message-catalogue key of the sentence shown to the visitor.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found-text",
            AppError::MethodNotAllowed => "error-method-text",
            AppError::LoginRequired | AppError::AccountLoginRequired => "error-login-required",
            AppError::Forbidden => "error-forbidden-text",
            AppError::TooManyRequests(_) => "error-too-many-text",
            AppError::NoPayment => "error-no-payment-text",
            AppError::Conflict => "error-conflict-text",
            AppError::Csrf => "error-csrf-text",
            AppError::BadRequest(key) | AppError::Gone(key) => key,
            AppError::Unavailable(_) => "error-unavailable-text",
            AppError::PaymentService(_) => "error-payment-service-text",
            AppError::Internal(_) => "error-internal-text",
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::LoginRequired | AppError::AccountLoginRequired => StatusCode::SEE_OTHER,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::NoPayment => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Unavailable(_) | AppError::PaymentService(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => {
                tracing::error!(cause = %chain(cause.as_ref()), "request failed");
            }
            AppError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            AppError::PaymentService(cause) => tracing::warn!(%cause, "payment service failed"),
            _ => {}
        }
        let login = match self {
            AppError::LoginRequired => Some("/medewerkers/inloggen"),
            AppError::AccountLoginRequired => Some("/account/inloggen"),
            _ => None,
        };
        if let Some(form) = login {
            // Not an error page: send the visitor to the login form.
            return HttpResponse::SeeOther()
                .insert_header(("Location", form))
                .finish();
        }
        let mut response = HttpResponse::new(self.status_code());
        if let AppError::TooManyRequests(seconds) = self {
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(*seconds),
            );
        }
        response.extensions_mut().insert(ErrorPage {
            message_key: self.message_key(),
        });
        response
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            // A unique key taken by a concurrent request: the caller may look again.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => AppError::Conflict,
            other => AppError::internal(other),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::internal(e)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::internal(e)
    }
}
