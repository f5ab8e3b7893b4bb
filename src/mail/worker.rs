//! The outbox sender each instance runs (scheduled by `jobs`): sends due outbox messages,
//! retrying with exponential backoff. Safe on every instance at once: messages are claimed with
//! a conditional UPDATE.

use std::time::Duration;

use lettre::message::Mailbox;

use super::repo;
use super::transport::Mailer;
use crate::db::Db;
use crate::error::AppError;
use crate::telemetry::measure;

/// Give up on a message after this many attempts (about a day and a half of retries).
const MAX_ATTEMPTS: i32 = 12;
/// How long a claim protects a message being sent; longer than the SMTP time-out
/// ([`super::transport::SMTP_TIMEOUT`]), so a claim never ends while its message is in flight.
const CLAIM: Duration = Duration::from_secs(120);

/// The worker of one instance.
#[derive(Clone)]
pub struct Worker {
    db: Db,
    mailer: Mailer,
    from: Mailbox,
    name: String,
}

/// Wait before attempt `attempts + 1`: 10 s, 20 s, 40 s, … capped at an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::from_secs(10u64.saturating_mul(1 << exponent)).min(Duration::from_secs(3600))
}

impl Worker {
    /// A worker sending through `mailer` as `from`.
    pub fn new(db: Db, mailer: Mailer, from: Mailbox) -> Worker {
        Worker {
            db,
            mailer,
            from,
            name: format!(
                "{}-{}",
                std::process::id(),
                crate::domain::token::random_hex(6)
            ),
        }
    }

    /// Sends every due message this instance can claim; returns how many were sent.
    pub async fn send_due(&self) -> Result<usize, AppError> {
        let now = crate::db::now();
        let ids = self
            .db
            .run(move |conn| Ok(repo::due(conn, now, 50)?))
            .await?;
        let mut sent = 0;
        for id in ids {
            let worker = self.name.clone();
            let claimed = self
                .db
                .run(move |conn| {
                    // The lease starts now, not when the batch began.
                    let now = crate::db::now();
                    let until = now + chrono::Duration::from_std(CLAIM).unwrap_or_default();
                    Ok(repo::claim(conn, id, &worker, now, until)?)
                })
                .await?;
            let Some(row) = claimed else { continue };
            match self.mailer.send(&self.from, &row).await {
                Ok(()) => {
                    let worker = self.name.clone();
                    let forgotten = self
                        .db
                        .run(move |conn| Ok(repo::mark_sent(conn, id, &worker, crate::db::now())?))
                        .await?;
                    if forgotten {
                        // The address of an erased account must not linger in the files.
                        let scrub =
                            |conn: &mut crate::db::DbConn| Ok(crate::db::scrub(conn, &["outbox"])?);
                        if let Err(e) = self.db.run(scrub).await {
                            tracing::warn!(error = %e, "scrubbing after a forgotten mail failed");
                        }
                    }
                    measure::mail_send("sent");
                    sent += 1;
                }
                Err(error) => {
                    let retry_at = (row.attempts < MAX_ATTEMPTS).then(|| {
                        crate::db::now()
                            + chrono::Duration::from_std(backoff(row.attempts)).unwrap_or_default()
                    });
                    measure::mail_send(if retry_at.is_some() {
                        "failed"
                    } else {
                        "given_up"
                    });
                    // The error text may name the address: it goes to the (declared) outbox
                    // column, the log gets only the message id.
                    tracing::warn!(
                        outbox_id = id,
                        attempt = row.attempts,
                        gave_up = retry_at.is_none(),
                        "sending an e-mail failed"
                    );
                    let worker = self.name.clone();
                    self.db
                        .run(move |conn| {
                            Ok(repo::mark_failed(conn, id, &worker, &error, retry_at)?)
                        })
                        .await?;
                }
            }
        }
        Ok(sent)
    }

    /// Removes mail files whose outbox message is gone or forgotten (file transport only).
    pub async fn prune_mail_files(&self) -> Result<usize, AppError> {
        if !matches!(self.mailer, Mailer::File(_)) {
            return Ok(0);
        }
        let mailer = self.mailer.clone();
        let db = self.db.clone();
        let pruned = actix_web::rt::task::spawn_blocking(move || {
            mailer.prune_files(|ids| {
                let ids = ids.to_vec();
                db.query(|conn| Ok(repo::holding_content(conn, &ids)?))
                    .unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "cannot read which mail files to keep");
                        ids
                    })
            })
        })
        .await
        .map_err(|e| AppError::internal(format!("mail file pruning panicked: {e}")))?;
        pruned.map_err(|e| AppError::internal(format!("cannot prune the mail folder: {e}")))
    }

    /// Deletes sent mail older than the data map's 30 days.
    pub async fn forget_old_mail(&self) -> Result<usize, AppError> {
        let before = crate::db::now() - chrono::Duration::days(30);
        self.db
            .run(move |conn| Ok(repo::forget_sent_before(conn, before)?))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(10));
        assert_eq!(backoff(2), Duration::from_secs(20));
        assert_eq!(backoff(4), Duration::from_secs(80));
        assert_eq!(backoff(12), Duration::from_secs(3600));
    }
}
