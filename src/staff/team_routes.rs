//! The owner's team pages: `/medewerkers/team` lists and adds staff; a member's page changes
//! their role, disables or enables them, or resets their two-step login (the last two ask
//! first).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::auth::{Allowed, StaffUser, Team};
use super::menu::{Section, StaffMenu};
use super::model::Role;
use super::office_repo::{self, Change as Logged};
use super::team::{self, Change, Member, NewMember, Refusal};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, render, see_other};

/// `GET /medewerkers/team`.
#[derive(Template)]
#[template(path = "staff/team.html")]
pub struct TeamPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// Everyone.
    pub members: Vec<Member>,
    /// The new member's form as typed (without the password).
    pub form: NewMember,
    /// What to fix in it.
    pub errors: FieldErrors,
    /// Recent changes.
    pub changes: Vec<Logged>,
}

/// `GET /medewerkers/team/{id}` and its confirmation questions.
#[derive(Template)]
#[template(path = "staff/member.html")]
pub struct MemberPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The member.
    pub member: Member,
    /// The question asked before a change (`uitschakelen`, `tweestaps-opnieuw`).
    pub confirm: Option<&'static str>,
    /// Why the last change was refused.
    pub refusal: Option<&'static str>,
    /// Their recorded changes.
    pub changes: Vec<Logged>,
}

impl TeamPage {
    /// The message for `field`, if it has one.
    pub fn error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }
}

/// Catalogue key of a stored role's name.
pub fn role_name(role: &str) -> &'static str {
    Role::parse(role).map_or("staff-role-unknown", |r| match r {
        Role::Owner => "team-role-owner",
        Role::Florist => "team-role-florist",
        Role::Courier => "team-role-courier",
        Role::Support => "team-role-support",
    })
}

async fn team_page(
    state: &AppState,
    ctx: PageCtx,
    staff: &StaffUser,
    form: NewMember,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let (members, changes) = state
        .db
        .run(|conn| {
            Ok((
                team::members(conn)?,
                office_repo::changes(conn, "staff:", 20)?,
            ))
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = NewMember {
        password: String::new(),
        ..form
    };
    let menu = Some(StaffMenu::new(staff, Section::Team));
    render(
        status,
        &TeamPage {
            ctx,
            menu,
            members,
            form,
            errors,
            changes,
        },
    )
}

/// `GET /medewerkers/team`.
pub async fn team(
    state: web::Data<AppState>,
    allowed: Allowed<Team>,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    let form = NewMember {
        role: Role::Florist.as_str().to_owned(),
        ..NewMember::default()
    };
    team_page(&state, ctx, &allowed.staff, form, FieldErrors::new()).await
}

/// `POST /medewerkers/team`: adds a staff member with a first password.
pub async fn add(
    state: web::Data<AppState>,
    session: Session,
    allowed: Allowed<Team>,
    ctx: PageCtx,
    form: web::Form<NewMember>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (typed, cost, by) = (form.clone(), state.config.password_cost, allowed.staff.id);
    let prepared = web::block(move || team::prepare(&typed, cost))
        .await
        .map_err(AppError::internal)?;
    let (new, role) = match prepared {
        Ok(prepared) => prepared,
        Err(errors) => return team_page(&state, ctx, &allowed.staff, form, errors).await,
    };
    let created = state
        .db
        .run(move |conn| team::create(conn, &new, role, by))
        .await?;
    match created {
        Ok(_) => {
            flash::set(&session, FlashKind::Success, "team-added");
            Ok(see_other("/medewerkers/team"))
        }
        Err(errors) => team_page(&state, ctx, &allowed.staff, form, errors).await,
    }
}

async fn member_page(
    state: &AppState,
    ctx: PageCtx,
    staff: &StaffUser,
    id: i64,
    confirm: Option<&'static str>,
    refusal: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let (member, changes) = state
        .db
        .run(move |conn| {
            let member = team::members(conn)?
                .into_iter()
                .find(|m| m.id == id)
                .ok_or(AppError::NotFound)?;
            Ok((
                member,
                office_repo::changes(conn, &format!("staff:{id}"), 20)?,
            ))
        })
        .await?;
    let status = if refusal.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let menu = Some(StaffMenu::new(staff, Section::Team));
    render(
        status,
        &MemberPage {
            ctx,
            menu,
            member,
            confirm,
            refusal,
            changes,
        },
    )
}

/// `GET /medewerkers/team/{id}`.
pub async fn member(
    state: web::Data<AppState>,
    allowed: Allowed<Team>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member_page(&state, ctx, &allowed.staff, id.into_inner(), None, None).await
}

/// The actions in a member's URL; the destructive ones are asked first.
fn action(name: &str) -> Option<&'static str> {
    ["rol", "uitschakelen", "inschakelen", "tweestaps-opnieuw"]
        .into_iter()
        .find(|a| *a == name)
}

/// `GET /medewerkers/team/{id}/{actie}`: the question before disabling or resetting.
pub async fn confirm(
    state: web::Data<AppState>,
    allowed: Allowed<Team>,
    ctx: PageCtx,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, name) = path.into_inner();
    let asked = action(&name)
        .filter(|a| matches!(*a, "uitschakelen" | "tweestaps-opnieuw"))
        .ok_or(AppError::NotFound)?;
    member_page(&state, ctx, &allowed.staff, id, Some(asked), None).await
}

/// The role form's field.
#[derive(serde::Deserialize)]
pub struct RoleForm {
    /// The new role.
    #[serde(default)]
    pub role: String,
}

/// `POST /medewerkers/team/{id}/{actie}`.
pub async fn apply(
    state: web::Data<AppState>,
    session: Session,
    allowed: Allowed<Team>,
    ctx: PageCtx,
    path: web::Path<(i64, String)>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let (id, name) = path.into_inner();
    let change = match action(&name).ok_or(AppError::NotFound)? {
        "rol" => {
            Change::Role(Role::parse(&form.role).ok_or(AppError::BadRequest("team-error-role"))?)
        }
        "uitschakelen" => Change::Disable,
        "inschakelen" => Change::Enable,
        _ => Change::ResetTwoStep,
    };
    let by = allowed.staff.id;
    let outcome = state
        .db
        .run(move |conn| team::change(conn, id, change, by))
        .await?;
    match outcome {
        Ok(()) => {
            flash::set(&session, FlashKind::Success, "team-changed");
            Ok(see_other(&format!("/medewerkers/team/{id}")))
        }
        Err(Refusal::LastOwner) => {
            member_page(
                &state,
                ctx,
                &allowed.staff,
                id,
                None,
                Some("team-error-last-owner"),
            )
            .await
        }
    }
}
