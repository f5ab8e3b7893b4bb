//! Writing a newsletter edition in the browser (owner, support): the same edition and the same
//! sending path as `bloei newsletter`, with a preview, a test to one's own address, and a
//! confirmation naming how many subscribers it goes to.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::auth::{Allowed, Editions, StaffUser};
use super::menu::{Section, StaffMenu};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::privacy::editions::{self, Edition, Interest, Text};
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, render, see_other};

/// The longest subject line.
pub const SUBJECT_MAX: usize = 150;
/// The longest body.
pub const BODY_MAX: usize = 20_000;
/// The session key holding the token of the last edition sent (a second click sends nothing).
const SENT_KEY: &str = "newsletter_sent";

/// The form as typed: the general text, and optionally a version for one category's buyers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EditionForm {
    pub subject_nl: String,
    pub subject_en: String,
    pub body_nl: String,
    pub body_en: String,
    /// A category slug; empty: no personalised version.
    pub category: String,
    pub i_subject_nl: String,
    pub i_subject_en: String,
    pub i_body_nl: String,
    pub i_body_en: String,
    /// `voorbeeld`, `test`, `verzenden` or `bevestigen`.
    pub actie: String,
    /// Identifies this edition, so a double click on "send" sends once.
    pub token: String,
}

fn text(errors: &mut FieldErrors, prefix: &'static [&'static str; 4], values: [&str; 4]) -> Text {
    for (field, value) in prefix.iter().zip(values) {
        let max = if field.contains("subject") {
            SUBJECT_MAX
        } else {
            BODY_MAX
        };
        if value.trim().is_empty() {
            errors.insert(field, "compose-error-missing");
        } else if value.chars().count() > max {
            errors.insert(field, "compose-error-long");
        }
    }
    let [subject_nl, subject_en, body_nl, body_en] = values.map(|v| v.trim().to_owned());
    Text {
        subject_nl,
        subject_en,
        body_nl,
        body_en,
    }
}

impl EditionForm {
    /// The edition the form describes, or what to fix per field.
    pub fn edition(&self, categories: &[String]) -> Result<Edition, FieldErrors> {
        let mut errors = FieldErrors::new();
        let general = text(
            &mut errors,
            &["subject_nl", "subject_en", "body_nl", "body_en"],
            [
                &self.subject_nl,
                &self.subject_en,
                &self.body_nl,
                &self.body_en,
            ],
        );
        let mut interest = Vec::new();
        if !self.category.is_empty() {
            if !categories.contains(&self.category) {
                errors.insert("category", "compose-error-category");
            }
            let text = text(
                &mut errors,
                &["i_subject_nl", "i_subject_en", "i_body_nl", "i_body_en"],
                [
                    &self.i_subject_nl,
                    &self.i_subject_en,
                    &self.i_body_nl,
                    &self.i_body_en,
                ],
            );
            interest.push(Interest {
                category: self.category.clone(),
                text,
            });
        }
        if errors.is_empty() {
            Ok(Edition { general, interest })
        } else {
            Err(errors)
        }
    }
}

/// `GET`/`POST /medewerkers/nieuwsbrief/schrijven`.
#[derive(Template)]
#[template(path = "staff/compose.html")]
pub struct ComposePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// What was typed.
    pub form: EditionForm,
    /// What to fix.
    pub errors: FieldErrors,
    /// The categories a version can be for: `(slug, name)`.
    pub categories: Vec<(String, String)>,
    /// The general text as mailed, per language (after "preview").
    pub previews: Vec<(Lang, String)>,
    /// Subscribers it would go to, when asking to confirm.
    pub confirm: Option<usize>,
    /// What just happened (a test was queued).
    pub notice: Option<&'static str>,
}

impl ComposePage {
    /// "This newsletter goes to 12 subscribers."
    pub fn confirm_text(&self, count: &usize) -> String {
        self.ctx
            .t_args("compose-confirm", &[("count", count.to_string())])
    }

    /// The message for `field`, if it has one.
    pub fn error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }
}

async fn categories(state: &AppState, lang: Lang) -> Result<Vec<(String, String)>, AppError> {
    let rows = state
        .db
        .run(|conn| Ok(crate::catalog::repo::all_categories(conn)?))
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let name = lang.pick(c.name_nl, c.name_en);
            (c.slug, name)
        })
        .collect())
}

#[derive(Default)]
struct Shown {
    notice: Option<&'static str>,
    errors: FieldErrors,
    previews: Vec<(Lang, String)>,
    confirm: Option<usize>,
}

async fn show(
    state: &AppState,
    ctx: PageCtx,
    staff: &StaffUser,
    form: EditionForm,
    shown: Shown,
) -> Result<HttpResponse, AppError> {
    let categories = categories(state, ctx.lang).await?;
    let status = if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = EditionForm {
        token: if form.token.is_empty() {
            crate::domain::token::random_hex(16)
        } else {
            form.token
        },
        ..form
    };
    let page = ComposePage {
        ctx,
        menu: Some(StaffMenu::new(staff, Section::Newsletter)),
        form,
        errors: shown.errors,
        categories,
        previews: shown.previews,
        confirm: shown.confirm,
        notice: shown.notice,
    };
    render(status, &page)
}

/// `GET /medewerkers/nieuwsbrief/schrijven`.
pub async fn form(
    state: web::Data<AppState>,
    allowed: Allowed<Editions>,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    let shown = Shown::default();
    show(&state, ctx, &allowed.staff, EditionForm::default(), shown).await
}

/// `POST /medewerkers/nieuwsbrief/schrijven`: preview, test to oneself, ask to confirm, send.
pub async fn act(
    state: web::Data<AppState>,
    session: Session,
    allowed: Allowed<Editions>,
    ctx: PageCtx,
    form: web::Form<EditionForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let slugs: Vec<String> = categories(&state, ctx.lang)
        .await?
        .into_iter()
        .map(|c| c.0)
        .collect();
    let edition = match form.edition(&slugs) {
        Ok(edition) => edition,
        Err(errors) => {
            let shown = Shown {
                errors,
                ..Shown::default()
            };
            return show(&state, ctx, &allowed.staff, form, shown).await;
        }
    };
    let mail = crate::mail::messages::MailContext::of(&state.config);
    let mut shown = Shown::default();
    match form.actie.as_str() {
        "test" => {
            let (id, text) = (allowed.staff.id, edition.general.clone());
            state
                .db
                .run(move |conn| {
                    let to = super::repo::email_of(conn, id)?;
                    editions::send_test(conn, &mail, &text, &to)
                })
                .await?;
            shown.notice = Some("compose-test-sent");
        }
        "verzenden" => {
            shown.confirm = Some(state.db.run(|conn| Ok(editions::audience(conn)?)).await?);
        }
        "bevestigen" => {
            let already = session.get::<String>(SENT_KEY).ok().flatten();
            if form.token.is_empty() || already.as_deref() == Some(form.token.as_str()) {
                return Err(AppError::BadRequest("compose-already-sent"));
            }
            session
                .insert(SENT_KEY, &form.token)
                .map_err(AppError::internal)?;
            state
                .db
                .run(move |conn| editions::send(conn, &mail, &edition))
                .await?;
            flash::set(&session, FlashKind::Success, "compose-sent");
            return Ok(see_other("/medewerkers/nieuwsbrief/schrijven"));
        }
        _ => {
            for lang in Lang::ALL {
                shown
                    .previews
                    .push((lang, editions::preview(&mail, &edition.general, lang)?));
            }
        }
    }
    show(&state, ctx, &allowed.staff, form, shown).await
}
