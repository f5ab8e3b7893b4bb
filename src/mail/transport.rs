//! Where e-mail goes: an SMTP server (`BLOEI_SMTP_URL`), `.eml` files under the data dir (the
//! local default, so nothing leaves the machine), or memory (tests). The files are a mirror of
//! the outbox, not an archive: `outbox-{id}.eml` lives only while its outbox row does and still
//! holds its content, so a mail forgotten after sending, erased with an account or past its 30
//! days is gone from the folder too ([`Mailer::prune_files`]).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::repo::OutboxRow;

/// Longest wait for writing one `.eml` file (a full or hung disk must not stall the worker).
pub const FILE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Longest wait for the SMTP server in one step of a delivery.
pub const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A message as the memory transport keeps it.
#[derive(Debug, Clone)]
pub struct Sent {
    /// Recipient address.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// The `List-Unsubscribe` URL, on marketing mail.
    pub list_unsubscribe: Option<String>,
}

/// `List-Unsubscribe: <url>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(
            s.trim_matches(|c| c == '<' || c == '>').to_owned(),
        ))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the mail client may
/// unsubscribe with one POST, without opening a page.
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// The configured transport.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a directory, one per outbox row.
    File(PathBuf),
    /// Kept in memory.
    Memory(Arc<Mutex<Vec<Sent>>>),
}

impl Mailer {
    /// The configured transport: SMTP when `BLOEI_SMTP_URL` is set, else `.eml` files under
    /// `<data dir>/mail`.
    pub fn from_config(
        config: &crate::config::Config,
    ) -> Result<Mailer, crate::config::ConfigError> {
        match config.smtp_url() {
            Some(url) => Mailer::smtp(url),
            None => Mailer::files(config.data_dir.join("mail")),
        }
        .map_err(crate::config::ConfigError)
    }

    /// SMTP from a URL such as `smtp://127.0.0.1:2525` or `smtps://user:pass@host`.
    pub fn smtp(url: &str) -> Result<Mailer, String> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map(|builder| Mailer::Smtp(builder.timeout(Some(SMTP_TIMEOUT)).build()))
            .map_err(|e| format!("BLOEI_SMTP_URL is not usable: {e}."))
    }

    /// Files under `dir` (created if missing).
    pub fn files(dir: PathBuf) -> Result<Mailer, String> {
        std::fs::create_dir_all(&dir).map_err(|e| {
            format!(
                "BLOEI_DATA_DIR: cannot create the mail directory {}: {e}.",
                dir.display()
            )
        })?;
        Ok(Mailer::File(dir))
    }

    /// Memory.
    pub fn memory() -> (Mailer, Arc<Mutex<Vec<Sent>>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        (Mailer::Memory(sent.clone()), sent)
    }

    /// Delivers one outbox message from `from`.
    pub async fn send(&self, from: &Mailbox, row: &OutboxRow) -> Result<(), String> {
        if let Mailer::Memory(sent) = self {
            sent.lock().map_err(|e| e.to_string())?.push(Sent {
                to: row.recipient.clone(),
                subject: row.subject.clone(),
                text: row.body_text.clone(),
                list_unsubscribe: row.list_unsubscribe.clone(),
            });
            return Ok(());
        }
        let to: Mailbox = row
            .recipient
            .parse()
            .map_err(|e| format!("bad recipient address: {e}"))?;
        let mut builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(row.subject.clone());
        if let Some(url) = &row.list_unsubscribe {
            builder = builder
                .header(ListUnsubscribe(url.clone()))
                .header(ListUnsubscribePost);
        }
        let message = builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(row.body_text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(row.body_html.clone()),
                    ),
            )
            .map_err(|e| format!("cannot build the message: {e}"))?;
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Mailer::File(dir) => {
                let path = dir.join(file_name(row.id));
                let bytes = message.formatted();
                let write =
                    actix_web::rt::task::spawn_blocking(move || std::fs::write(path, bytes));
                match actix_web::rt::time::timeout(FILE_TIMEOUT, write).await {
                    Ok(Ok(written)) => {
                        written.map_err(|e| format!("cannot write the mail file: {e}"))
                    }
                    Ok(Err(e)) => Err(format!("writing the mail file failed: {e}")),
                    Err(_) => Err("writing the mail file took too long".to_owned()),
                }
            }
            Mailer::Memory(_) => Ok(()),
        }
    }
}

/// The file an outbox message is written to.
fn file_name(id: i64) -> String {
    format!("outbox-{id}.eml")
}

/// The outbox id a mail file belongs to (`None`: not one of ours, e.g. from an older version).
fn id_of(name: &str) -> Option<i64> {
    name.strip_prefix("outbox-")?
        .strip_suffix(".eml")?
        .parse()
        .ok()
}

impl Mailer {
    /// Removes every `.eml` file whose outbox message is gone or forgotten (`keep` says which
    /// ids still hold content), and any `.eml` not named after one. Returns how many went.
    pub fn prune_files(&self, keep: impl Fn(&[i64]) -> Vec<i64>) -> std::io::Result<usize> {
        let Mailer::File(dir) = self else {
            return Ok(0);
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".eml") {
                files.push((id_of(&name), entry.path()));
            }
        }
        let ids: Vec<i64> = files.iter().filter_map(|(id, _)| *id).collect();
        let kept = if ids.is_empty() {
            Vec::new()
        } else {
            keep(&ids)
        };
        let mut removed = 0;
        for (id, path) in files {
            if id.is_some_and(|id| kept.contains(&id)) {
                continue;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                // Another instance pruned it first.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_named_after_an_outbox_message_have_an_id() {
        assert_eq!(id_of(&file_name(42)), Some(42));
        assert_eq!(id_of("1d5c9e-uuid.eml"), None);
        assert_eq!(id_of("outbox-x.eml"), None);
    }
}
