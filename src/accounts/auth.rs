//! Customer logins: the session holds the account id, the account's session version (raised
//! when the password changes, which ends every other login) and the token of a server-side
//! login row (`crate::web::logins`, deleted at logout), and the `Customer` extractor admits a
//! request only for a confirmed account whose version still matches and whose login is open.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::repo::{self, CustomerRow};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::logins::{self, Holder};

const ID_KEY: &str = "customer_id";
const VERSION_KEY: &str = "customer_version";
const SINCE_KEY: &str = "customer_since";
const LOGIN_KEY: &str = "customer_login";
/// Set when the account accepted an older privacy statement than the current one (P19).
pub use crate::web::session_keys::STATEMENT_NOTICE as STATEMENT_NOTICE_KEY;
/// A customer login lasts a day at most.
pub const MAX_LOGIN_SECONDS: i64 = 24 * 60 * 60;

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

fn max_age() -> chrono::Duration {
    chrono::Duration::seconds(MAX_LOGIN_SECONDS)
}

/// Makes the session a login of `customer` on a new session id (no fixation), with its own
/// server-side login row; a form token from before the login is not valid after it. When the
/// privacy statement changed since the account accepted it, the pages show a notice until it
/// is acknowledged (P19).
pub async fn establish(
    state: &AppState,
    session: &Session,
    customer: &CustomerRow,
) -> Result<(), AppError> {
    let holder = Holder::Customer(customer.id);
    // Logging in again without logging out ends the session's earlier login too.
    let earlier = this_login(session);
    let version = state.statement_version.clone();
    let (token, version) = state
        .db
        .run(move |conn| {
            if let Some((id, old)) = &earlier {
                logins::close(conn, Holder::Customer(*id), old)?;
            }
            Ok((logins::open(conn, holder, max_age())?, version(conn)?))
        })
        .await?;
    session.renew();
    session.remove("csrf");
    if customer.privacy_version.as_deref() != Some(version.as_str()) {
        session
            .insert(STATEMENT_NOTICE_KEY, true)
            .map_err(|e| AppError::internal(format!("session: {e}")))?;
    }
    session
        .insert(ID_KEY, customer.id)
        .and_then(|()| session.insert(VERSION_KEY, customer.session_version))
        .and_then(|()| session.insert(SINCE_KEY, chrono::Utc::now().timestamp()))
        .and_then(|()| session.insert(LOGIN_KEY, token))
        .map_err(|e| AppError::internal(format!("session: {e}")))
}

/// This session's login token, if it claims one.
pub fn login_token(session: &Session) -> Option<String> {
    session.get::<String>(LOGIN_KEY).ok().flatten()
}

/// The account and login token this session claims.
fn this_login(session: &Session) -> Option<(i64, String)> {
    session
        .get::<i64>(ID_KEY)
        .ok()
        .flatten()
        .zip(login_token(session))
}

/// Keeps this login after its own password change (other logins end), on a new session id.
pub fn new_version(session: &Session, version: i32) -> Result<(), AppError> {
    session.renew();
    session
        .insert(VERSION_KEY, version)
        .map_err(|e| AppError::internal(format!("session: {e}")))
}

/// Forgets the customer login in this session; the language and cart stay. (The login row is
/// ended by [`log_out`], or was already gone.)
pub fn end(session: &Session) {
    session.remove(STATEMENT_NOTICE_KEY);
    session.remove(ID_KEY);
    session.remove(VERSION_KEY);
    session.remove(SINCE_KEY);
    session.remove(LOGIN_KEY);
    session.renew();
}

/// Logs out: forgets the login in the session, then ends it on the server, so a copy of the
/// cookie opens nothing either. (Should the database fail, this browser is logged out all
/// the same, and the error is reported.)
pub async fn log_out(state: &AppState, session: &Session) -> Result<(), AppError> {
    let login = this_login(session);
    end(session);
    if let Some((id, token)) = login {
        state
            .db
            .run(move |conn| Ok(logins::close(conn, Holder::Customer(id), &token)?))
            .await?;
    }
    Ok(())
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
            let state = state.ok_or_else(|| AppError::internal("no app state"))?;
            let id = session
                .get::<i64>(ID_KEY)
                .ok()
                .flatten()
                .ok_or(AppError::AccountLoginRequired)?;
            let version = session.get::<i32>(VERSION_KEY).ok().flatten();
            let Some(token) = login_token(&session) else {
                end(&session);
                return Err(AppError::AccountLoginRequired);
            };
            let since = session.get::<i64>(SINCE_KEY).ok().flatten().unwrap_or(0);
            if chrono::Utc::now().timestamp() - since > MAX_LOGIN_SECONDS {
                end(&session);
                return Err(AppError::AccountLoginRequired);
            }
            let (hash, since) = (logins::hash(&token), crate::db::now() - max_age());
            let found = state
                .db
                .run(move |conn| Ok(repo::by_login(conn, id, &hash, since)?))
                .await?;
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
