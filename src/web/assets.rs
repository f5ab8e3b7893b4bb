//! Static files (`static/`), compiled into the binary so one file is the whole shop. URLs carry
//! a content hash (`?v=…`), so browsers may cache them for a year and still see every change.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

use crate::error::AppError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Files;

/// Short content hash per file path, computed once.
static VERSIONS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    Files::iter()
        .filter_map(|path| {
            let file = Files::get(&path)?;
            Some((path.into_owned(), short_hash(&file.metadata.sha256_hash())))
        })
        .collect()
});

/// The versioned URL of every file, computed once: pages link dozens of images each, so a
/// link is a lookup, not a new string.
static URLS: LazyLock<HashMap<&'static str, String, foldhash::fast::RandomState>> =
    LazyLock::new(|| {
        VERSIONS
            .iter()
            .map(|(path, version)| (path.as_str(), format!("/static/{path}?v={version}")))
            .collect()
    });

fn short_hash(hash: &[u8; 32]) -> String {
    hash[..6].iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The URL of a static file with its content version.
pub fn url(path: &str) -> AssetUrl {
    match URLS.get(path) {
        Some(url) => AssetUrl(std::borrow::Cow::Borrowed(url.as_str())),
        None => {
            tracing::error!(path, "link to a static file that does not exist");
            // Kept to characters a URL path needs no escaping for, so the link stays safe to
            // print unescaped like every other asset URL.
            let path: String = path
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
                .collect();
            AssetUrl(std::borrow::Cow::Owned(format!("/static/{path}")))
        }
    }
}

/// A static file's URL: only path characters that HTML never needs escaped (a page prints
/// dozens, and askama skips escaping for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetUrl(std::borrow::Cow<'static, str>);

impl AssetUrl {
    /// The URL as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AssetUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for AssetUrl {}

/// The paths of the static files under `folder` (e.g. `img/products/`), sorted: what the
/// back office offers as product illustrations.
pub fn files_under(folder: &str) -> Vec<String> {
    let mut paths: Vec<String> = VERSIONS
        .keys()
        .filter(|p| p.starts_with(folder))
        .cloned()
        .collect();
    paths.sort();
    paths
}

/// `GET /static/{path}`: the file with its type, an ETag, and a long cache lifetime when the URL
/// is versioned.
pub async fn serve(req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let file = Files::get(&path).ok_or(AppError::NotFound)?;
    let etag = format!("\"{}\"", short_hash(&file.metadata.sha256_hash()));
    // Only the URL of this very content may be cached for good: during a rolling deploy an old
    // instance may be asked for a new version it does not have.
    let version = VERSIONS.get(path.as_str());
    let cache = match req.query_string().strip_prefix("v=") {
        Some(v) if Some(v) == version.map(String::as_str) => "public, max-age=31536000, immutable",
        Some(_) => "no-cache",
        None => "public, max-age=3600",
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if matches {
        HttpResponse::NotModified().finish()
    } else {
        let mime = mime_guess::from_path(&path).first_or_octet_stream();
        HttpResponse::Ok()
            .content_type(mime.as_ref())
            .body(file.data.into_owned())
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    Ok(response)
}
