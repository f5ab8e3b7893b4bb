//! Product photos: an upload is recognised by its content (never its name), decoded within
//! fixed bounds, turned upright, cropped square, flattened onto white and re-encoded as JPEG
//! in a few widths. Only the re-encoded files are kept (in the database, so every instance
//! serves them and a backup holds them); the upload itself, with whatever metadata it carried
//! (camera, place), is dropped.

use std::io::Cursor;

use chrono::Utc;
use diesel::prelude::*;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

use super::model::Photo;
use crate::db::DbConn;
use crate::db::schema::{product_photos, products};

/// The largest upload taken, in bytes (a phone's photo is 2–6 MB).
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;
/// The widths kept, in pixels: the shop shows photos 400 CSS pixels wide at most, so these
/// serve 1×, 2× and 3× screens.
pub const WIDTHS: [u32; 3] = [400, 800, 1200];
/// The shortest side a photo may have: below this it would show blurred.
pub const MIN_SIDE: u32 = 400;
/// The longest side decoded: larger images are refused before their pixels are allocated (a
/// small file can claim a huge canvas).
const MAX_SIDE: u32 = 12_000;
const MAX_DECODE_BYTES: u64 = 600 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

/// Why an upload was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoRefusal {
    /// No file was chosen.
    Missing,
    /// The content is not a JPEG, PNG or WebP image (whatever its name says).
    NotAnImage,
    /// The file or its canvas is larger than the shop takes.
    TooLarge,
    /// The shortest side is under [`MIN_SIDE`] pixels.
    TooSmall,
    /// It looks like an image but cannot be decoded (damaged or cut off).
    Unreadable,
}

impl PhotoRefusal {
    /// Catalogue key of the message shown beside the upload field.
    pub fn message_key(self) -> &'static str {
        match self {
            PhotoRefusal::Missing => "photo-error-missing",
            PhotoRefusal::NotAnImage => "photo-error-not-an-image",
            PhotoRefusal::TooLarge => "photo-error-too-large",
            PhotoRefusal::TooSmall => "photo-error-too-small",
            PhotoRefusal::Unreadable => "photo-error-unreadable",
        }
    }
}

/// One re-encoded width.
#[derive(Debug, Clone)]
pub struct PhotoFile {
    /// Width (and height) in pixels.
    pub width: u32,
    /// The JPEG.
    pub bytes: Vec<u8>,
}

/// An upload ready to be stored: its reference and its files.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    /// Key and widths, as products refer to it.
    pub photo: Photo,
    /// The files, narrowest first.
    pub files: Vec<PhotoFile>,
}

/// Checks and re-encodes an upload. CPU-bound (tens to hundreds of milliseconds): run it on a
/// blocking thread.
pub fn prepare(upload: &[u8]) -> Result<PreparedPhoto, PhotoRefusal> {
    if upload.is_empty() {
        return Err(PhotoRefusal::Missing);
    }
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoRefusal::TooLarge);
    }
    let format = image::guess_format(upload).map_err(|_| PhotoRefusal::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoRefusal::NotAnImage);
    }
    let image = decode_upright(upload, format)?;
    let side = image.width().min(image.height());
    if side < MIN_SIDE {
        return Err(PhotoRefusal::TooSmall);
    }
    let square = image.crop_imm(
        (image.width() - side) / 2,
        (image.height() - side) / 2,
        side,
        side,
    );
    let flat = flatten_on_white(&square);
    let digest = Sha256::digest(upload);
    let key: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let mut files = Vec::new();
    // Widest first, each narrower one from the previous: fewer pixels to filter.
    let mut source = flat;
    for width in WIDTHS.iter().rev().copied().filter(|w| *w <= side) {
        let resized = if source.width() == width {
            source.clone()
        } else {
            image::imageops::resize(&source, width, width, FilterType::CatmullRom)
        };
        files.push(PhotoFile {
            width,
            bytes: encode_jpeg(&resized)?,
        });
        source = resized;
    }
    files.reverse();
    let widths = files.iter().map(|f| f.width).collect();
    Ok(PreparedPhoto {
        photo: Photo { key, widths },
        files,
    })
}

fn decode_upright(upload: &[u8], format: ImageFormat) -> Result<DynamicImage, PhotoRefusal> {
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let refusal = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => PhotoRefusal::TooLarge,
        _ => PhotoRefusal::Unreadable,
    };
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    // A phone stores its pixels sideways with a tag saying so; the tag is not kept, so the
    // turn is made now.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// JPEG has no transparency: transparent parts of a PNG or WebP become the page's white
/// instead of black.
fn flatten_on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([over(r), over(g), over(b)])
    })
}

fn encode_jpeg(image: &RgbImage) -> Result<Vec<u8>, PhotoRefusal> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|_| PhotoRefusal::Unreadable)?;
    Ok(out)
}

/// Puts a prepared photo on a product, replacing its previous photo (whose files go: orders
/// keep names and prices, never pictures). Returns the previous reference.
pub fn attach(
    conn: &mut DbConn,
    product_id: i64,
    prepared: &PreparedPhoto,
) -> QueryResult<Option<String>> {
    let previous: Option<String> = products::table
        .find(product_id)
        .select(products::photo)
        .first(conn)?;
    diesel::delete(product_photos::table.filter(product_photos::product_id.eq(product_id)))
        .execute(conn)?;
    let now = Utc::now().naive_utc();
    for file in &prepared.files {
        let side = i32::try_from(file.width).unwrap_or(i32::MAX);
        diesel::insert_into(product_photos::table)
            .values((
                product_photos::product_id.eq(product_id),
                product_photos::photo.eq(&prepared.photo.key),
                product_photos::width.eq(side),
                product_photos::height.eq(side),
                product_photos::bytes.eq(&file.bytes),
                product_photos::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::update(products::table.find(product_id))
        .set((
            products::photo.eq(Some(prepared.photo.stored())),
            products::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(previous)
}

/// Takes a product's photo off (the illustration shows again) and deletes its files.
pub fn detach(conn: &mut DbConn, product_id: i64) -> QueryResult<usize> {
    diesel::update(products::table.find(product_id))
        .set((
            products::photo.eq(None::<String>),
            products::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    diesel::delete(product_photos::table.filter(product_photos::product_id.eq(product_id)))
        .execute(conn)
}

/// The JPEG of one width of a photo, if it exists.
pub fn file(conn: &mut DbConn, key: &str, width: i32) -> QueryResult<Option<Vec<u8>>> {
    product_photos::table
        .filter(product_photos::photo.eq(key))
        .filter(product_photos::width.eq(width))
        .select(product_photos::bytes)
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_landscape_photo_is_cropped_square_and_kept_in_every_width_it_covers() {
        let photo =
            DynamicImage::ImageRgb8(RgbImage::from_pixel(1000, 850, image::Rgb([200, 30, 60])));
        let prepared = prepare(&encoded(&photo, ImageFormat::Png)).unwrap();
        assert_eq!(prepared.photo.widths, vec![400, 800]);
        assert_eq!(prepared.photo.key.len(), 12);
        for file in &prepared.files {
            let back = image::load_from_memory_with_format(&file.bytes, ImageFormat::Jpeg).unwrap();
            assert_eq!((back.width(), back.height()), (file.width, file.width));
        }
    }

    #[test]
    fn text_a_tiny_image_and_a_lying_name_are_refused_by_content() {
        assert_eq!(prepare(b"").unwrap_err(), PhotoRefusal::Missing);
        assert_eq!(
            prepare(b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap_err(),
            PhotoRefusal::NotAnImage
        );
        let png = encoded(
            &DynamicImage::ImageRgb8(RgbImage::new(500, 500)),
            ImageFormat::Png,
        );
        let mut cut = png.clone();
        cut.truncate(60);
        assert_eq!(prepare(&cut).unwrap_err(), PhotoRefusal::Unreadable);
        let tiny = encoded(
            &DynamicImage::ImageRgb8(RgbImage::new(300, 900)),
            ImageFormat::Png,
        );
        assert_eq!(prepare(&tiny).unwrap_err(), PhotoRefusal::TooSmall);
    }

    #[test]
    fn transparent_parts_become_white_not_black() {
        let clear = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            400,
            400,
            image::Rgba([0, 0, 0, 0]),
        ));
        let prepared = prepare(&encoded(&clear, ImageFormat::Png)).unwrap();
        let back = image::load_from_memory(&prepared.files[0].bytes)
            .unwrap()
            .to_rgb8();
        assert!(back.get_pixel(200, 200).0.iter().all(|c| *c > 245));
    }
}
