//! The queue of questions and complaints (P7) for support and the owner: oldest waiting first,
//! filtered by status; a message's page shows its thread, the order a complaint names, and the
//! form whose answer goes to the sender by e-mail. Every look at the queue or a message is in
//! the audit log (P14).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::auth::{Allowed, Messages};
use super::menu::{Section, StaffMenu};
use crate::domain::contact::{Text, TextError};
use crate::error::AppError;
use crate::privacy::audit;
use crate::privacy::contact::{self, Message, Status, Thread};
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, render, see_other};

/// The queue's filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// `open` (the default), `answered`, `closed` or `alle`.
    pub status: String,
}

/// `GET /medewerkers/berichten`.
#[derive(Template)]
#[template(path = "staff/messages.html")]
pub struct QueuePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The status shown (`None`: all).
    pub status: Option<Status>,
    /// The messages, oldest first.
    pub messages: Vec<Message>,
}

impl QueuePage {
    /// The filter links: (value, label, current).
    pub fn filters(&self) -> Vec<(&'static str, String, bool)> {
        let mut links: Vec<_> = Status::ALL
            .into_iter()
            .map(|s| {
                (
                    s.as_str(),
                    self.ctx.t(s.label_key()).into_owned(),
                    self.status == Some(s),
                )
            })
            .collect();
        links.push((
            "alle",
            self.ctx.t("staff-messages-all").into_owned(),
            self.status.is_none(),
        ));
        links
    }

    /// A message's status in words.
    pub fn status_of(&self, message: &Message) -> String {
        self.ctx.t(message.status().label_key()).into_owned()
    }

    /// A message's kind in words.
    pub fn kind_of(&self, message: &Message) -> String {
        kind_label(&self.ctx, message)
    }

    /// "waiting 3 days", for an open message that came in a day or more ago.
    pub fn waiting(&self, message: &Message) -> Option<String> {
        let days = (crate::db::now() - message.created_at).num_days();
        (message.status() == Status::Open && days > 0).then(|| {
            self.ctx
                .t_args("staff-messages-days", &[("days", days.to_string())])
        })
    }
}

fn kind_label(ctx: &PageCtx, message: &Message) -> String {
    ctx.t(match message.kind() {
        contact::Kind::Question => "staff-messages-question",
        contact::Kind::Complaint => "staff-messages-complaint",
    })
    .into_owned()
}

/// `GET /medewerkers/berichten`: the queue.
pub async fn queue(
    state: web::Data<AppState>,
    ctx: PageCtx,
    allowed: Allowed<Messages>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let status = match query.status.as_str() {
        "" => Some(Status::Open),
        "alle" => None,
        typed => Some(Status::parse(typed).ok_or(AppError::BadRequest("staff-messages-filter"))?),
    };
    let staff_id = allowed.staff.id;
    let messages = state
        .db
        .run(move |conn| {
            let messages = contact::queue(conn, status)?;
            let subject = format!("messages:{}", status.map_or("all", Status::as_str));
            audit::staff_act(conn, "messages_view", staff_id, subject)?;
            Ok(messages)
        })
        .await?;
    crate::web::page(&QueuePage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::Messages)),
        status,
        messages,
    })
}

/// `GET /medewerkers/berichten/{id}`.
#[derive(Template)]
#[template(path = "staff/message.html")]
pub struct MessagePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The message and its answers.
    pub thread: Thread,
    /// The answer as typed (after an error).
    pub answer: String,
    /// What to fix in the answer.
    pub error: Option<String>,
}

impl MessagePage {
    /// The message's status in words.
    pub fn status(&self) -> String {
        self.ctx
            .t(self.thread.message.status().label_key())
            .into_owned()
    }

    /// The message's kind in words.
    pub fn kind(&self) -> String {
        kind_label(&self.ctx, &self.thread.message)
    }

    /// Whether the message is closed.
    pub fn is_closed(&self) -> bool {
        self.thread.message.status() == Status::Closed
    }

    /// The hint under the answer: it goes by e-mail, in the sender's language.
    pub fn answer_hint(&self) -> String {
        let lang = self.thread.message.lang().native_name();
        self.ctx
            .t_args("staff-messages-answer-hint", &[("lang", lang.to_owned())])
    }

    /// The longest answer, for `maxlength`.
    pub fn reply_max(&self) -> usize {
        contact::REPLY_MAX
    }
}

async fn load(state: &AppState, id: i64, staff_id: i64) -> Result<Thread, AppError> {
    state
        .db
        .run(move |conn| {
            let thread = contact::thread(conn, id)?.ok_or(AppError::NotFound)?;
            contact::record_view(conn, &thread, staff_id)?;
            Ok(thread)
        })
        .await
}

/// `GET /medewerkers/berichten/{id}`: the thread and the answer form.
pub async fn message(
    state: web::Data<AppState>,
    ctx: PageCtx,
    allowed: Allowed<Messages>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let thread = load(&state, path.into_inner(), allowed.staff.id).await?;
    crate::web::page(&MessagePage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::Messages)),
        thread,
        answer: String::new(),
        error: None,
    })
}

/// The answer form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    /// The answer.
    pub answer: String,
}

/// `POST /medewerkers/berichten/{id}/antwoord`: sends the answer and marks the message
/// answered; a refused answer comes back with what was typed.
pub async fn answer(
    state: web::Data<AppState>,
    session: Session,
    ctx: PageCtx,
    allowed: Allowed<Messages>,
    path: web::Path<i64>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let (id, staff_id) = (path.into_inner(), allowed.staff.id);
    let typed = form.into_inner().answer;
    let body = match Text::required(&typed, contact::REPLY_MAX) {
        Ok(body) => body,
        Err(e) => {
            let thread = load(&state, id, staff_id).await?;
            let error = match e {
                TextError::Missing => ctx.t("staff-messages-answer-missing").into_owned(),
                TextError::TooLong => ctx.t_args(
                    "staff-messages-answer-long",
                    &[("max", contact::REPLY_MAX.to_string())],
                ),
            };
            let page = MessagePage {
                ctx,
                menu: Some(StaffMenu::new(&allowed.staff, Section::Messages)),
                thread,
                answer: typed,
                error: Some(error),
            };
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let mail = crate::mail::messages::MailContext::of(&state.config);
    state
        .db
        .run(move |conn| contact::answer(conn, id, staff_id, &body, &mail))
        .await?;
    flash::set(&session, FlashKind::Success, "staff-messages-answered");
    Ok(see_other(&format!("/medewerkers/berichten/{id}")))
}

/// The close/reopen form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    /// `closed` or `open`.
    pub status: String,
}

/// `POST /medewerkers/berichten/{id}/status`: closes a handled message or reopens it.
pub async fn change_status(
    state: web::Data<AppState>,
    session: Session,
    _allowed: Allowed<Messages>,
    path: web::Path<i64>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let status = match form.status.as_str() {
        "closed" => Status::Closed,
        "open" => Status::Open,
        _ => return Err(AppError::BadRequest("staff-messages-filter")),
    };
    let found = state
        .db
        .run(move |conn| Ok(contact::set_status(conn, id, status)?))
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    let key = if status == Status::Closed {
        "staff-messages-closed"
    } else {
        "staff-messages-reopened"
    };
    flash::set(&session, FlashKind::Success, key);
    Ok(see_other(&format!("/medewerkers/berichten/{id}")))
}

/// The queue's routes.
pub fn configure(cfg: &mut web::ServiceConfig, resource: fn(&str) -> actix_web::Resource) {
    cfg.service(resource("/medewerkers/berichten").route(web::get().to(queue)))
        .service(resource("/medewerkers/berichten/{id}").route(web::get().to(message)))
        .service(resource("/medewerkers/berichten/{id}/antwoord").route(web::post().to(answer)))
        .service(
            resource("/medewerkers/berichten/{id}/status").route(web::post().to(change_status)),
        );
}
