//! The secret key: decoding a configured key, and generating and storing one for the local
//! default.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;

/// Minimum key length `actix-web`'s cookie `Key` accepts.
pub const MIN_KEY_BYTES: usize = 64;

/// A fresh random key, base64-encoded, for `BLOEI_SECRET_KEY`.
pub fn generate_key() -> String {
    let mut bytes = [0u8; MIN_KEY_BYTES];
    rand::fill(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(crate) fn decode_key(encoded: &str) -> Result<Vec<u8>, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(encoded))
        .map_err(|_| "it is not base64".to_owned())?;
    if bytes.len() < MIN_KEY_BYTES {
        return Err(format!(
            "it is {} bytes long and must be at least {MIN_KEY_BYTES}",
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// A name no other process uses at the same moment, for temporary files next to `path`.
pub(crate) fn unique_sibling(path: &Path, tag: &str) -> PathBuf {
    path.with_file_name(format!(
        ".{tag}-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ))
}

/// Writes a complete file (mode 0600) under a temporary name, then links it into place, so no
/// reader ever sees it half written. Returns false when another process published it first.
pub(crate) fn publish_private_file(path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    let temp = unique_sibling(path, "new-key");
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&temp).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let linked = written.and_then(|()| fs::hard_link(&temp, path));
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Resolves a key setting (`setting`, e.g. `BLOEI_SECRET_KEY`): the value given, or on SQLite
/// the key file `file` in the data dir, made once (mode 0600). PostgreSQL serves several
/// instances, which must share the key, so there it must be given.
pub(crate) fn resolve_key(
    given: Option<&str>,
    postgres: bool,
    data_dir: &Path,
    setting: &str,
    file: &str,
) -> Result<Vec<u8>, String> {
    if let Some(encoded) = given {
        return decode_key(encoded.trim()).map_err(|why| {
            format!("{setting} is not usable: {why}; generate one with `bloei generate-key`.")
        });
    }
    if postgres {
        return Err(format!(
            "{setting} is required with PostgreSQL, because every instance must share it; \
             generate one with `bloei generate-key`."
        ));
    }
    let path = data_dir.join(file);
    if !path.exists() {
        let created = publish_private_file(&path, generate_key().as_bytes()).map_err(|e| {
            format!(
                "BLOEI_DATA_DIR {}: cannot write the key file {file}: {e}.",
                data_dir.display()
            )
        })?;
        if created {
            tracing::info!(path = %path.display(), "generated a new key");
        }
    }
    // Read back even when this process made it: another one starting at the same moment may
    // have published its key first, and all must use the same.
    let encoded = fs::read_to_string(&path)
        .map_err(|e| format!("The key file {} cannot be read: {e}.", path.display()))?;
    decode_key(encoded.trim()).map_err(|why| {
        format!(
            "The key file {} is not usable: {why}; delete it to have a new one made \
             (data encrypted with it can then no longer be read).",
            path.display()
        )
    })
}

/// A secret setting; its `Debug` output is `***`, so a logged configuration never leaks it.
#[derive(Clone)]
pub(super) struct Secret(pub(super) String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}
