//! The erasure log kept outside the database (P9): one line per erased account — when, and a
//! keyed hash of its address, nothing else — appended and flushed to disk before the erasure
//! commits, in a file that backups of the database do not include (`erasures.log` in the data
//! folder). After a backup older than an erasure is restored, [`replay_pending`] erases again
//! every account the log names since the backup was taken, before the shop serves again, so a
//! restore never brings an erased person back.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::subject::Subject;
use crate::db::DbConn;
use crate::db::schema::customers;
use crate::domain::sealed::DataKey;
use crate::error::AppError;

/// The `app_meta` key holding when the backup in this database was taken (set by `backup`).
pub const BACKUP_TAKEN_KEY: &str = "backup_taken_at";
/// The `app_meta` key set by `restore`: erasures since this time are still to be replayed.
pub const REPLAY_PENDING_KEY: &str = "erasure_replay_since";

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6f";

/// The file.
#[derive(Debug, Clone)]
pub struct ErasureLog {
    path: PathBuf,
}

/// One line: when, and whose address (keyed hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When the account was erased.
    pub at: NaiveDateTime,
    /// The keyed hash of its address ([`DataKey::keyed_hash`]).
    pub subject_hash: String,
}

impl ErasureLog {
    /// The log in `data_dir`.
    pub fn in_dir(data_dir: &Path) -> ErasureLog {
        ErasureLog {
            path: data_dir.join("erasures.log"),
        }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends an entry and flushes it to the disk (an erasure commits only after this).
    pub fn append(&self, entry: &Entry) -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        let line = format!("{} {}\n", entry.at.format(TIME_FORMAT), entry.subject_hash);
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }

    /// Every entry at or after `since`, oldest first. A line cut short by a crash while it was
    /// written is skipped (its erasure did not commit); no file means no erasures yet.
    pub fn since(&self, since: NaiveDateTime) -> std::io::Result<Vec<Entry>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(text
            .lines()
            .filter_map(|line| {
                let (at, hash) = line.split_once(' ')?;
                let at = NaiveDateTime::parse_from_str(at, TIME_FORMAT).ok()?;
                (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Entry {
                    at,
                    subject_hash: hash.to_owned(),
                })
            })
            .filter(|entry| entry.at >= since)
            .collect())
    }
}

/// Erases again every account the log names since `since` (in one transaction); how many.
/// Each account's address is hashed with the shop's key and compared with the log, so the log
/// itself holds no address.
pub fn replay(
    conn: &mut DbConn,
    key: &DataKey,
    log: &ErasureLog,
    since: NaiveDateTime,
) -> Result<usize, AppError> {
    let wanted: std::collections::HashSet<String> = log
        .since(since)
        .map_err(|e| AppError::internal(format!("cannot read {}: {e}", log.path().display())))?
        .into_iter()
        .map(|e| e.subject_hash)
        .collect();
    if wanted.is_empty() {
        return Ok(0);
    }
    conn.write_tx(|conn| {
        let accounts: Vec<(i64, String, String)> = customers::table
            .select((customers::id, customers::email, customers::name))
            .load(conn)?;
        let mut erased = 0;
        for (customer_id, email, name) in accounts {
            let email = email.to_lowercase();
            if wanted.contains(&key.keyed_hash(&email)) {
                let subject = Subject { customer_id, email };
                super::erasure::remove(conn, &subject, &name)?;
                erased += 1;
            }
        }
        Ok(erased)
    })
}

/// Whether a restore left erasures to replay.
pub fn replay_is_pending(conn: &mut DbConn) -> Result<bool, AppError> {
    Ok(crate::db::meta(conn, REPLAY_PENDING_KEY)?.is_some())
}

/// After a restore: replays the erasures since the restored backup was taken and clears the
/// mark; `None` when no replay was pending. The shop calls this before it serves.
pub fn replay_pending(
    conn: &mut DbConn,
    key: &DataKey,
    log: &ErasureLog,
) -> Result<Option<usize>, AppError> {
    let Some(since) = crate::db::meta(conn, REPLAY_PENDING_KEY)? else {
        return Ok(None);
    };
    let since = NaiveDateTime::parse_from_str(&since, TIME_FORMAT)
        .map_err(|e| AppError::internal(format!("{REPLAY_PENDING_KEY} `{since}`: {e}")))?;
    let erased = replay(conn, key, log, since)?;
    diesel::delete(
        crate::db::schema::app_meta::table
            .filter(crate::db::schema::app_meta::key.eq(REPLAY_PENDING_KEY)),
    )
    .execute(conn)?;
    Ok(Some(erased))
}

/// A time as the log and `app_meta` write it.
pub fn format_time(at: NaiveDateTime) -> String {
    at.format(TIME_FORMAT).to_string()
}

/// Reads a time written by [`format_time`].
pub fn parse_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, TIME_FORMAT).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_back_from_a_time_on_and_a_torn_last_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let log = ErasureLog::in_dir(dir.path());
        let at = |s: &str| parse_time(s).unwrap();
        assert!(
            log.since(at("2026-01-01T00:00:00.000000"))
                .unwrap()
                .is_empty()
        );
        for (time, hash) in [
            ("2026-12-01T10:00:00.000000", "a".repeat(64)),
            ("2026-12-03T10:00:00.000000", "b".repeat(64)),
        ] {
            log.append(&Entry {
                at: at(time),
                subject_hash: hash,
            })
            .unwrap();
        }
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap();
        file.write_all(b"2026-12-04T10:00:00.000000 cc").unwrap();
        let found = log.since(at("2026-12-02T00:00:00.000000")).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].subject_hash, "b".repeat(64));
    }
}
