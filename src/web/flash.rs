//! One-time messages shown on the page after a redirect (POST/redirect/GET), kept in the session.

use actix_session::Session;
use serde::{Deserialize, Serialize};

const FLASH_KEY: &str = "flash";

/// How a flash message looks.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FlashKind {
    /// Something worked.
    Success,
    /// Something went wrong.
    Error,
}

impl FlashKind {
    /// CSS modifier.
    pub fn as_str(self) -> &'static str {
        match self {
            FlashKind::Success => "success",
            FlashKind::Error => "error",
        }
    }
}

/// A message for the next page. The message is stored as a catalogue key, so it is shown in the
/// language of the page that displays it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Flash {
    /// Look.
    pub kind: FlashKind,
    /// Message-catalogue key.
    pub key: String,
}

/// Leaves a message for the next page the visitor sees.
pub fn set(session: &Session, kind: FlashKind, key: &str) {
    let flash = Flash {
        kind,
        key: key.to_owned(),
    };
    if let Err(e) = session.insert(FLASH_KEY, flash) {
        tracing::warn!(error = %e, "could not store a flash message");
    }
}

/// Takes the waiting message, if any; it is shown once.
pub fn take(session: &Session) -> Option<Flash> {
    match session.remove_as::<Flash>(FLASH_KEY) {
        Some(Ok(flash)) => Some(flash),
        _ => None,
    }
}
