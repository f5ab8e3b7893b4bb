//! The e-mail that carries staff's answer to a question or complaint (P7): in the language the
//! sender wrote in, from the shop's own address, with their message quoted below the answer so
//! the thread reads on its own.

use askama::Template;

use super::contact::Message;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::{MailContext, Rendered};

/// The answer as the templates need it.
pub struct AnswerMail {
    /// The message's language.
    pub lang: Lang,
    /// "Dear Ans,".
    pub greeting: String,
    /// "Thank you for your message of 3 December. Our answer:".
    pub intro: String,
    /// What staff wrote.
    pub answer: String,
    /// "You wrote:".
    pub quote_label: String,
    /// The sender's own text.
    pub quoted: String,
    /// How to reply.
    pub note: String,
    /// The shop's name.
    pub shop_name: String,
}

/// Plain-text body.
#[derive(Template)]
#[template(path = "mail/contact_answer.txt")]
pub struct AnswerText<'a> {
    /// The mail.
    pub m: &'a AnswerMail,
}

/// HTML body.
#[derive(Template)]
#[template(path = "mail/contact_answer.html")]
pub struct AnswerHtml<'a> {
    /// The mail.
    pub m: &'a AnswerMail,
}

impl AnswerMail {
    /// Paragraphs of the answer, for the HTML body (blank lines separate them).
    pub fn answer_paragraphs(&self) -> Vec<&str> {
        paragraphs(&self.answer)
    }

    /// Paragraphs of the quoted message.
    pub fn quoted_paragraphs(&self) -> Vec<&str> {
        paragraphs(&self.quoted)
    }

    /// The quoted message with `> ` before every line, for the text body.
    pub fn quoted_lines(&self) -> String {
        self.quoted
            .lines()
            .map(|line| format!("> {line}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Renders staff's `answer` to `message`.
pub fn answer(ctx: &MailContext, message: &Message, answer: &str) -> Result<Rendered, AppError> {
    let lang = message.lang();
    let number = message.id.to_string();
    let mail = AnswerMail {
        lang,
        greeting: lang.t_args("mail-greeting", &[("name", message.name.clone())]),
        intro: lang.t_args(
            "mail-contact-answer-intro",
            &[("date", lang.date(message.created_at.date()))],
        ),
        answer: answer.to_owned(),
        quote_label: lang.t("mail-contact-answer-quote").into_owned(),
        quoted: message.body.clone(),
        note: lang.t("mail-contact-answer-note").into_owned(),
        shop_name: ctx.shop_name.clone(),
    };
    Ok(Rendered {
        to: message.email.clone(),
        subject: lang.t_args(
            "mail-contact-answer-subject",
            &[("shop", ctx.shop_name.clone()), ("number", number)],
        ),
        text: AnswerText { m: &mail }.render()?,
        html: AnswerHtml { m: &mail }.render()?,
    })
}
