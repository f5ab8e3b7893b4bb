//! The background worker each instance runs: sends due outbox messages (retrying with
//! exponential backoff) and expires unpaid orders. Safe on every instance at once: messages are
//! claimed with a conditional UPDATE, and expiry changes an order only while it still awaits
//! payment.

use std::time::Duration;

use lettre::message::Mailbox;

use super::repo;
use super::transport::Mailer;
use crate::db::Db;
use crate::error::AppError;

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
    /// Texts and links of reminder mails.
    mail: crate::mail::messages::MailContext,
    /// Days before an occasion its reminder goes out.
    reminder_days: u32,
}

/// Wait before attempt `attempts + 1`: 10 s, 20 s, 40 s, … capped at an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::from_secs(10u64.saturating_mul(1 << exponent)).min(Duration::from_secs(3600))
}

impl Worker {
    /// A worker sending through `mailer` as `from`.
    pub fn new(db: Db, mailer: Mailer, from: Mailbox) -> Worker {
        let mut bytes = [0u8; 6];
        rand::fill(&mut bytes);
        Worker {
            db,
            mailer,
            from,
            name: format!("{}-{}", std::process::id(), crate::payment::hex(&bytes)),
            mail: crate::mail::messages::MailContext {
                public_url: String::new(),
                shop_name: String::new(),
            },
            reminder_days: 7,
        }
    }

    /// Sends occasion reminders with these texts and links, `days` before each occasion.
    pub fn with_reminders(mut self, mail: crate::mail::messages::MailContext, days: u32) -> Worker {
        self.mail = mail;
        self.reminder_days = days;
        self
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
                    self.db
                        .run(move |conn| Ok(repo::mark_sent(conn, id, &worker, crate::db::now())?))
                        .await?;
                    sent += 1;
                }
                Err(error) => {
                    let retry_at = (row.attempts < MAX_ATTEMPTS).then(|| {
                        crate::db::now()
                            + chrono::Duration::from_std(backoff(row.attempts)).unwrap_or_default()
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

    /// Expires unpaid orders whose time is up, giving their places back.
    pub async fn expire_unpaid(&self) -> Result<usize, AppError> {
        self.db
            .run(|conn| crate::ordering::service::expire_unpaid(conn, crate::db::now()))
            .await
    }

    /// Queues today's occasion reminders (every instance may; each is claimed once).
    pub async fn send_reminders(&self) -> Result<usize, AppError> {
        let (mail, days) = (self.mail.clone(), self.reminder_days);
        let today = crate::business::invoice::today();
        self.db
            .run(move |conn| crate::privacy::occasions::send_due(conn, &mail, today, days))
            .await
    }

    /// Deletes sent mail older than the data map's 30 days.
    pub async fn forget_old_mail(&self) -> Result<usize, AppError> {
        let before = crate::db::now() - chrono::Duration::days(30);
        self.db
            .run(move |conn| Ok(repo::forget_sent_before(conn, before)?))
            .await
    }

    /// Deletes expired logins (the data map promises they go when the login ends).
    pub async fn forget_expired_logins(&self) -> Result<usize, AppError> {
        self.db
            .run(|conn| Ok(crate::web::logins::forget_expired(conn)?))
            .await
    }

    /// Runs for ever on the current runtime: mail every second, expiry every half minute,
    /// expired logins every minute, old sent mail forgotten every hour.
    pub async fn run(self) {
        let mut tick: u64 = 0;
        loop {
            if let Err(e) = self.send_due().await {
                tracing::warn!(error = %e, "the mail worker could not run");
            }
            if tick.is_multiple_of(30) {
                match self.expire_unpaid().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(expired = n, "expired unpaid orders"),
                    Err(e) => tracing::warn!(error = %e, "expiring unpaid orders failed"),
                }
            }
            if tick % 60 == 15
                && let Err(e) = self.forget_expired_logins().await
            {
                tracing::warn!(error = %e, "forgetting expired logins failed");
            }
            if tick % 600 == 300
                && let Err(e) = self.send_reminders().await
            {
                tracing::warn!(error = %e, "sending occasion reminders failed");
            }
            if tick % 3600 == 1800
                && let Err(e) = self.forget_old_mail().await
            {
                tracing::warn!(error = %e, "forgetting old sent mail failed");
            }
            tick = tick.wrapping_add(1);
            actix_web::rt::time::sleep(Duration::from_secs(1)).await;
        }
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
