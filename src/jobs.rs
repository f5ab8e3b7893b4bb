//! The background jobs every instance runs (unless `BLOEI_WORKER=false`), each on its own
//! schedule: due mail every second, expiry of unpaid orders every half minute, expired logins
//! every minute, occasion reminders every ten minutes, sent mail forgotten every hour, and the
//! retention sweep once a day (claimed, so one instance runs it). Every
//! job is safe on several instances at once: mail is claimed with a conditional UPDATE, expiry
//! changes an order only while it still awaits payment, each reminder is claimed once a year.
//!
//! The scheduler sits at the top of the house so the plumbing (`mail`) needs to know no
//! capability: it calls each capability's job as a plain function.

use std::time::Duration;

use crate::config::{Config, ConfigError};
use crate::db::Db;
use crate::error::AppError;
use crate::mail::messages::MailContext;
use crate::mail::transport::Mailer;
use crate::mail::worker::Worker;

/// The jobs of one instance.
#[derive(Clone)]
pub struct Jobs {
    db: Db,
    outbox: Worker,
    /// Texts and links of reminder mails.
    mail: MailContext,
    /// Days before an occasion its reminder goes out.
    reminder_days: u32,
    /// Hashes erased addresses for the erasure log (retention sweep).
    data_key: std::sync::Arc<crate::domain::sealed::DataKey>,
    /// The erasure log outside the database.
    erasure_log: crate::privacy::erasure_log::ErasureLog,
}

impl Jobs {
    /// The jobs for this configuration: mail goes out through the configured transport.
    pub fn new(config: &Config, db: &Db) -> Result<Jobs, ConfigError> {
        let mailer = Mailer::from_config(config)?;
        Ok(Jobs {
            db: db.clone(),
            outbox: Worker::new(db.clone(), mailer, config.mail_from.clone()),
            mail: MailContext::of(config),
            reminder_days: config.privacy.reminder_days,
            data_key: std::sync::Arc::new(crate::domain::sealed::DataKey::from_material(
                &config.data_key()?,
            )),
            erasure_log: crate::privacy::erasure_log::ErasureLog::in_dir(&config.data_dir),
        })
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

    /// Deletes expired logins (the data map promises they go when the login ends).
    pub async fn forget_expired_logins(&self) -> Result<usize, AppError> {
        self.db
            .run(|conn| {
                Ok(crate::web::logins::forget_expired(
                    conn,
                    chrono::Duration::seconds(crate::accounts::auth::MAX_LOGIN_SECONDS),
                    chrono::Duration::seconds(crate::staff::auth::MAX_LOGIN_SECONDS),
                )?)
            })
            .await
    }

    /// Deletes questions and complaints handled more than a year ago, with their answers (P7,
    /// P15), and privacy requests handled more than two years ago (P17).
    pub async fn forget_handled_messages(&self) -> Result<usize, AppError> {
        let now = crate::db::now();
        self.db
            .run(move |conn| {
                let year = chrono::Duration::days(365);
                Ok(
                    crate::privacy::contact::forget_handled_before(conn, now - year)?
                        + crate::privacy::requests::forget_handled_before(conn, now - year * 2)?,
                )
            })
            .await
    }

    /// The day's retention sweep (P15), by the one instance that claims the day first; `None`
    /// when another instance had it.
    pub async fn sweep_retention(
        &self,
    ) -> Result<Option<crate::privacy::retention::Report>, AppError> {
        let (mail, key, log) = (
            self.mail.clone(),
            self.data_key.clone(),
            self.erasure_log.clone(),
        );
        self.db
            .run(move |conn| {
                let today = chrono::Utc::now().date_naive();
                if !crate::privacy::retention::claim_today(conn, today)? {
                    return Ok(None);
                }
                let sweep = crate::privacy::retention::Sweep {
                    now: crate::db::now(),
                    apply: true,
                    key: &key,
                    log: &log,
                    mail: &mail,
                };
                Ok(Some(sweep.run(conn, &mut |_, _| {})?))
            })
            .await
    }

    /// Runs for ever on the current runtime.
    pub async fn run(self) {
        let mut tick: u64 = 0;
        loop {
            let outcome = self.outbox.send_due().await;
            counted("outbox", &outcome);
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "the mail worker could not run");
            }
            if tick.is_multiple_of(5) {
                // Mail files follow the outbox within seconds of a message being forgotten.
                let outcome = self.outbox.prune_mail_files().await;
                counted("prune_mail_files", &outcome);
                if let Err(e) = outcome {
                    tracing::warn!(error = %e, "pruning the mail folder failed");
                }
            }
            if tick.is_multiple_of(30) {
                let outcome = self.expire_unpaid().await;
                counted("expire_unpaid", &outcome);
                match outcome {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(expired = n, "expired unpaid orders"),
                    Err(e) => tracing::warn!(error = %e, "expiring unpaid orders failed"),
                }
            }
            if tick % 60 == 15 {
                let outcome = self.forget_expired_logins().await;
                counted("forget_logins", &outcome);
                if let Err(e) = outcome {
                    tracing::warn!(error = %e, "forgetting expired logins failed");
                }
            }
            if tick % 600 == 300 {
                let outcome = self.send_reminders().await;
                counted("reminders", &outcome);
                if let Err(e) = outcome {
                    tracing::warn!(error = %e, "sending occasion reminders failed");
                }
            }
            if tick % 3600 == 1800 {
                let outcome = self.outbox.forget_old_mail().await;
                counted("forget_old_mail", &outcome);
                if let Err(e) = outcome {
                    tracing::warn!(error = %e, "forgetting old sent mail failed");
                }
            }
            if tick % 3600 == 2400 {
                let outcome = self.forget_handled_messages().await;
                counted("forget_handled_messages", &outcome);
                if let Err(e) = outcome {
                    tracing::warn!(error = %e, "forgetting handled messages failed");
                }
            }
            if tick % 3600 == 900 {
                let outcome = self.sweep_retention().await;
                counted("retention", &outcome);
                match outcome {
                    Ok(Some(report)) => tracing::info!(
                        warned = report.warned,
                        erased = report.erased,
                        orders_stripped = report.orders_stripped,
                        "retention sweep done"
                    ),
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "the retention sweep failed"),
                }
            }
            tick = tick.wrapping_add(1);
            actix_web::rt::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// Counts a job's run in the metrics.
fn counted<T>(job: &'static str, outcome: &Result<T, AppError>) {
    crate::telemetry::measure::job_run(job, outcome.is_ok());
}
