//! Staff login: the session holds the staff id and the token of a server-side login row
//! (`crate::web::logins`, deleted at logout; the session id is renewed at login), and the
//! `StaffUser` extractor admits a request only for an active staff member whose login is open. Every staff route
//! takes an `Allowed<…>` naming what it needs (or a `StaffUser` and asks `may_move`), so
//! authorisation is decided by one table, `Role::may`.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::model::{Permission, Role};
use super::pages::LoginPage;
use super::{repo, service};
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::logins::{self, Holder};
use crate::web::{AppState, PageCtx, page, render, see_other};

const SESSION_KEY: &str = "staff_id";
const SINCE_KEY: &str = "staff_since";
const LOGIN_KEY: &str = "staff_login";
/// A staff login lasts a working day at most; then the password is asked again.
pub const MAX_LOGIN_SECONDS: i64 = 12 * 60 * 60;

/// A logged-in, active staff member.
#[derive(Debug, Clone)]
pub struct StaffUser {
    /// Staff id.
    pub id: i64,
    /// Name, for the page header.
    pub name: String,
    /// What they may do.
    pub role: Role,
}

/// Business clients and their approval.
pub struct Companies;
impl Needs for Companies {
    const PERMISSION: Permission = Permission::ManageCompanies;
}

/// Privacy requests by phone or letter.
pub struct PrivacyDesk;
impl Needs for PrivacyDesk {
    const PERMISSION: Permission = Permission::PrivacyRequests;
}

/// The monthly invoices.
pub struct Invoices;
impl Needs for Invoices {
    const PERMISSION: Permission = Permission::Invoicing;
}

/// A permission a route needs, as a type, so a handler's signature says what it needs.
pub trait Needs {
    /// The permission.
    const PERMISSION: Permission;
}

/// The production board.
pub struct Board;
impl Needs for Board {
    const PERMISSION: Permission = Permission::ViewBoard;
}

/// A work ticket.
pub struct Ticket;
impl Needs for Ticket {
    const PERMISSION: Permission = Permission::PrintTicket;
}

/// The courier's route list.
pub struct Route;
impl Needs for Route {
    const PERMISSION: Permission = Permission::ViewRoute;
}

/// The delivery calendar and zones.
pub struct Calendar;
impl Needs for Calendar {
    const PERMISSION: Permission = Permission::ManageCalendar;
}

/// Writing and sending newsletters.
pub struct Editions;
impl Needs for Editions {
    const PERMISSION: Permission = Permission::SendNewsletter;
}

/// The order desk.
pub struct Orders;
impl Needs for Orders {
    const PERMISSION: Permission = Permission::Orders;
}

/// The catalogue's products.
pub struct Catalogue;
impl Needs for Catalogue {
    const PERMISSION: Permission = Permission::ManageCatalogue;
}

/// Questions and complaints.
pub struct Messages;
impl Needs for Messages {
    const PERMISSION: Permission = Permission::Messages;
}

/// The audit log.
pub struct Audit;
impl Needs for Audit {
    const PERMISSION: Permission = Permission::ReadAudit;
}

/// Staff accounts.
pub struct Team;
impl Needs for Team {
    const PERMISSION: Permission = Permission::ManageStaff;
}

/// The processor register.
pub struct Processors;
impl Needs for Processors {
    const PERMISSION: Permission = Permission::ManageProcessors;
}

/// Putting deliveries on couriers' runs.
pub struct Runs;
impl Needs for Runs {
    const PERMISSION: Permission = Permission::AssignRuns;
}

/// A logged-in staff member whose role allows `N`; others get 403 (and visitors the login).
pub struct Allowed<N: Needs> {
    /// Who.
    pub staff: StaffUser,
    _needs: PhantomData<N>,
}

impl<N: Needs + 'static> FromRequest for Allowed<N> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = StaffUser::from_request(req, payload);
        Box::pin(async move {
            let staff = staff.await?;
            if !staff.role.may(N::PERMISSION) {
                return Err(AppError::Forbidden);
            }
            Ok(Allowed {
                staff,
                _needs: PhantomData,
            })
        })
    }
}

impl FromRequest for StaffUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("no app state"))?;
            let id = session
                .get::<i64>(SESSION_KEY)
                .ok()
                .flatten()
                .ok_or(AppError::LoginRequired)?;
            let since = session.get::<i64>(SINCE_KEY).ok().flatten().unwrap_or(0);
            let token = session.get::<String>(LOGIN_KEY).ok().flatten();
            let Some(token) =
                token.filter(|_| chrono::Utc::now().timestamp() - since <= MAX_LOGIN_SECONDS)
            else {
                forget(&session);
                return Err(AppError::LoginRequired);
            };
            let (hash, since) = (logins::hash(&token), crate::db::now() - max_age());
            let member = state
                .db
                .run(move |conn| Ok(repo::by_login(conn, id, &hash, since)?))
                .await?;
            match member {
                Some(member) if member.active => Ok(StaffUser {
                    role: member.role()?,
                    id: member.id,
                    name: member.name,
                }),
                _ => {
                    forget(&session);
                    Err(AppError::LoginRequired)
                }
            }
        })
    }
}

/// `GET /medewerkers/inloggen`.
pub async fn login_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    page(&LoginPage {
        ctx,
        menu: None,
        email: String::new(),
        failed: false,
        wait_minutes: None,
    })
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    /// E-mail address.
    #[serde(default)]
    pub email: String,
    /// Password.
    #[serde(default)]
    pub password: String,
}

/// `POST /medewerkers/inloggen`: counts the attempt against the limits per address and per
/// account, checks the password off the async threads; on success renews the session (no
/// fixation) and opens the role's start page.
pub async fn login(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let LoginForm { email, password } = form.into_inner();
    let typed = email.clone();
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    if let Err(wait) = state.logins.attempt(client, &email) {
        return crate::web::too_many(
            wait,
            &LoginPage {
                ctx,
                menu: None,
                email: typed,
                failed: true,
                wait_minutes: Some(wait.minutes()),
            },
        );
    }
    let found = state
        .db
        .with_pool(move |db| service::login(db, &email, &password))
        .await?;
    let Some((id, role)) = found else {
        return render(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                ctx,
                menu: None,
                email: typed,
                failed: true,
                wait_minutes: None,
            },
        );
    };
    session.renew();
    // A form token from before the login is not valid after it.
    session.remove("csrf");
    if role.needs_two_step() {
        // The password was right; the login is complete after the second step.
        let set_up = state
            .db
            .run(move |conn| Ok(super::two_step::is_set_up(conn, id)?))
            .await?;
        super::two_step_routes::start(&session, id)?;
        return Ok(see_other(if set_up {
            "/medewerkers/tweestaps"
        } else {
            "/medewerkers/tweestaps/instellen"
        }));
    }
    establish(&state, &session, id).await?;
    Ok(see_other(role.home()))
}

fn max_age() -> chrono::Duration {
    chrono::Duration::seconds(MAX_LOGIN_SECONDS)
}

/// The staff id and login token this session claims.
fn this_login(session: &Session) -> Option<(i64, String)> {
    let id = session.get::<i64>(SESSION_KEY).ok().flatten();
    id.zip(session.get::<String>(LOGIN_KEY).ok().flatten())
}

/// Forgets the staff login in this session.
fn forget(session: &Session) {
    session.remove(SESSION_KEY);
    session.remove(SINCE_KEY);
    session.remove(LOGIN_KEY);
}

/// Makes the session a staff login with its own server-side login row (after the password, and
/// the second step where needed).
pub(super) async fn establish(
    state: &AppState,
    session: &Session,
    id: i64,
) -> Result<(), AppError> {
    // Logging in again without logging out ends the session's earlier login too.
    let earlier = this_login(session);
    let token = state
        .db
        .run(move |conn| {
            if let Some((staff, old)) = &earlier {
                logins::close(conn, Holder::Staff(*staff), old)?;
            }
            crate::privacy::audit::staff_act(conn, "staff_login", id, format!("staff:{id}"))?;
            Ok(logins::open(conn, Holder::Staff(id), max_age())?)
        })
        .await?;
    session
        .insert(SESSION_KEY, id)
        .and_then(|()| session.insert(SINCE_KEY, chrono::Utc::now().timestamp()))
        .and_then(|()| session.insert(LOGIN_KEY, token))
        .map_err(|e| AppError::internal(format!("session: {e}")))
}

/// `POST /medewerkers/uitloggen`: ends the login on the server too, so a copy of the session
/// cookie opens nothing.
pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let login = this_login(&session);
    // Forgotten here first (a new session id; language and cart stay), so that a failing
    // database still logs this browser out.
    forget(&session);
    session.renew();
    if let Some((id, token)) = login {
        state
            .db
            .run(move |conn| Ok(logins::close(conn, Holder::Staff(id), &token)?))
            .await?;
    }
    flash::set(&session, FlashKind::Success, "staff-logged-out");
    Ok(see_other("/medewerkers/inloggen"))
}
