//! Customer logins: the session holds the account id and the account's session version (raised
//! when the password changes, which ends every other login), and the `Customer` extractor admits
//! a request only for a confirmed account whose version still matches.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::repo::{self, CustomerRow};
use crate::error::AppError;
use crate::web::AppState;

const ID_KEY: &str = "customer_id";
const VERSION_KEY: &str = "customer_version";
const SINCE_KEY: &str = "customer_since";
/// Set when the account accepted an older privacy statement than the current one (P19).
pub const STATEMENT_NOTICE_KEY: &str = "privacy_notice";
/// A customer login lasts a day at most.
const MAX_LOGIN_SECONDS: i64 = 24 * 60 * 60;

/// A logged-in customer with a confirmed address.
#[derive(Clone)]
pub struct Customer {
    /// Account id.
    pub id: i64,
    /// Name, for greetings and the checkout.
    pub name: String,
    /// Confirmed address.
    pub email: String,
    /// Phone number, when given.
    pub phone: Option<String>,
}

impl std::fmt::Debug for Customer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Customer({})", self.id)
    }
}

/// Makes the session a login of `customer` on a new session id (no fixation); a form token
/// from before the login is not valid after it. When the privacy statement changed since the
/// account accepted it, the pages show a notice until it is acknowledged (P19).
pub fn establish(
    session: &Session,
    customer: &CustomerRow,
    privacy: &crate::config::PrivacyConfig,
) -> Result<(), AppError> {
    session.renew();
    session.remove("csrf");
    let current = crate::privacy::statement::current_version(privacy);
    if customer.privacy_version.as_deref() != Some(current.as_str()) {
        session
            .insert(STATEMENT_NOTICE_KEY, true)
            .map_err(|e| AppError::Internal(format!("session: {e}")))?;
    }
    session
        .insert(ID_KEY, customer.id)
        .and_then(|()| session.insert(VERSION_KEY, customer.session_version))
        .and_then(|()| session.insert(SINCE_KEY, chrono::Utc::now().timestamp()))
        .map_err(|e| AppError::Internal(format!("session: {e}")))
}

/// Keeps this login after its own password change (other logins end), on a new session id.
pub fn new_version(session: &Session, version: i32) -> Result<(), AppError> {
    session.renew();
    session
        .insert(VERSION_KEY, version)
        .map_err(|e| AppError::Internal(format!("session: {e}")))
}

/// Ends the customer login; the language and cart stay.
pub fn end(session: &Session) {
    session.remove(STATEMENT_NOTICE_KEY);
    session.remove(ID_KEY);
    session.remove(VERSION_KEY);
    session.remove(SINCE_KEY);
    session.renew();
}

/// Whether the session claims a customer login (without checking the database).
pub fn claims_login(session: &Session) -> bool {
    matches!(session.get::<i64>(ID_KEY), Ok(Some(_)))
}

impl FromRequest for Customer {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal("no app state".into()))?;
            let id = session
                .get::<i64>(ID_KEY)
                .ok()
                .flatten()
                .ok_or(AppError::AccountLoginRequired)?;
            let version = session.get::<i32>(VERSION_KEY).ok().flatten();
            let since = session.get::<i64>(SINCE_KEY).ok().flatten().unwrap_or(0);
            if chrono::Utc::now().timestamp() - since > MAX_LOGIN_SECONDS {
                end(&session);
                return Err(AppError::AccountLoginRequired);
            }
            let found = state.db.run(move |conn| Ok(repo::by_id(conn, id)?)).await?;
            match found {
                Some(row) if row.is_verified() && Some(row.session_version) == version => {
                    Ok(Customer {
                        id: row.id,
                        name: row.name,
                        email: row.email,
                        phone: row.phone,
                    })
                }
                _ => {
                    end(&session);
                    Err(AppError::AccountLoginRequired)
                }
            }
        })
    }
}
