//! Back-office catalogue routes (owner and florist, `Allowed<Catalogue>`): the product list,
//! the product form, and the photo upload. Every change clears this instance's catalogue
//! cache, so it shows in the shop at once here and within the cache time on other instances.

use actix_multipart::{Field, Multipart};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;

use super::auth::{Allowed, Catalogue, StaffUser};
use super::catalogue;
use super::catalogue_pages::{CataloguePage, ProductFormPage, ProductLine};
use super::menu::{Section, StaffMenu};
use crate::catalog::cache::CatalogueCache;
use crate::catalog::manage;
use crate::catalog::model::Size;
use crate::catalog::photos::{self, MAX_UPLOAD_BYTES, PhotoRefusal};
use crate::catalog::product_form::ProductForm;
use crate::catalog::repo;
use crate::catalog::service::image;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::money::Money;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, csrf, page, parse_form, render, see_other};

/// `GET /medewerkers/catalogus`: every product, on sale or not.
pub async fn list(
    state: web::Data<AppState>,
    allowed: Allowed<Catalogue>,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let products = state
        .db
        .run(move |conn| {
            let categories = repo::all_categories(conn)?;
            let products = manage::all_products(conn)?;
            Ok(products
                .into_iter()
                .map(|(p, variants)| ProductLine {
                    id: p.id,
                    category: categories
                        .iter()
                        .find(|c| c.id == p.category_id)
                        .map(|c| c.name_nl.clone())
                        .unwrap_or_default(),
                    sizes: variants
                        .iter()
                        .filter(|v| v.active)
                        .filter_map(|v| {
                            let size = Size::parse(&v.size)?;
                            let price = Money::from_cents(v.price_cents).display(lang);
                            Some(match size {
                                Size::One => price,
                                _ => format!("{} {price}", size.as_str()),
                            })
                        })
                        .collect(),
                    image: image(&p),
                    name: p.name_nl,
                    active: p.active,
                    is_addon: p.is_addon,
                })
                .collect())
        })
        .await?;
    page(&CataloguePage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::Catalogue)),
        products,
    })
}

/// What a form page shows besides the form.
#[derive(Default)]
struct Extras {
    errors: FieldErrors,
    photo_error: Option<&'static str>,
    confirm_remove_photo: bool,
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    staff: &StaffUser,
    id: Option<i64>,
    typed: Option<ProductForm>,
    extras: Extras,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let menu = Some(StaffMenu::new(staff, Section::Catalogue));
    let status = if extras.errors.is_empty() && extras.photo_error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = match id {
        None => {
            let (choices, next) = state.db.run(catalogue::new_product).await?;
            ProductFormPage {
                heading: ctx.t("staff-product-new").into_owned(),
                ctx,
                menu,
                id,
                shop_path: None,
                form: typed.unwrap_or_else(|| ProductForm::new_product(next)),
                choices,
                errors: extras.errors,
                image: None,
                has_photo: false,
                photo_error: None,
                confirm_remove_photo: false,
                changes: Vec::new(),
            }
        }
        Some(id) => {
            let view = state.db.run(move |conn| catalogue::view(conn, id)).await?;
            let form = typed
                .unwrap_or_else(|| ProductForm::of(&view.draft, &view.choices.categories, lang));
            ProductFormPage {
                heading: view.row.name_nl.clone(),
                ctx,
                menu,
                id: Some(id),
                shop_path: view
                    .row
                    .active
                    .then(|| format!("/product/{}", view.row.slug)),
                form,
                choices: view.choices,
                errors: extras.errors,
                image: Some(image(&view.row)),
                has_photo: view.row.photo.is_some(),
                photo_error: extras.photo_error,
                confirm_remove_photo: extras.confirm_remove_photo,
                changes: view.changes,
            }
        }
    };
    render(status, &page)
}

/// `GET /medewerkers/catalogus/nieuw`.
pub async fn new_form(
    state: web::Data<AppState>,
    allowed: Allowed<Catalogue>,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    form_page(&state, ctx, &allowed.staff, None, None, Extras::default()).await
}

/// `GET /medewerkers/catalogus/{id}`.
pub async fn edit_form(
    state: web::Data<AppState>,
    allowed: Allowed<Catalogue>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = Some(id.into_inner());
    form_page(&state, ctx, &allowed.staff, id, None, Extras::default()).await
}

async fn save(
    state: &AppState,
    cache: &CatalogueCache,
    session: &Session,
    staff: &StaffUser,
    ctx: PageCtx,
    id: Option<i64>,
    body: &[u8],
) -> Result<HttpResponse, AppError> {
    let form: ProductForm = parse_form(body)?;
    let (typed, staff_id) = (form.clone(), staff.id);
    let saved = state
        .db
        .run(move |conn| catalogue::save(conn, id, &typed, staff_id))
        .await?;
    match saved {
        Ok(saved_id) => {
            cache.invalidate();
            let message = if id.is_some() {
                "product-saved"
            } else {
                "product-added"
            };
            flash::set(session, FlashKind::Success, message);
            Ok(see_other(&format!("/medewerkers/catalogus/{saved_id}")))
        }
        Err(errors) => {
            let extras = Extras {
                errors,
                ..Extras::default()
            };
            form_page(state, ctx, staff, id, Some(form), extras).await
        }
    }
}

/// `POST /medewerkers/catalogus/nieuw`: adds a product.
pub async fn create(
    state: web::Data<AppState>,
    cache: web::Data<CatalogueCache>,
    session: Session,
    allowed: Allowed<Catalogue>,
    ctx: PageCtx,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    save(&state, &cache, &session, &allowed.staff, ctx, None, &body).await
}

/// `POST /medewerkers/catalogus/{id}`: changes a product.
pub async fn change(
    state: web::Data<AppState>,
    cache: web::Data<CatalogueCache>,
    session: Session,
    allowed: Allowed<Catalogue>,
    ctx: PageCtx,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = Some(id.into_inner());
    save(&state, &cache, &session, &allowed.staff, ctx, id, &body).await
}

/// A chosen file, or why there is none to use.
enum Upload {
    File(Vec<u8>),
    Refused(PhotoRefusal),
}

/// Reads a field up to `limit` bytes (`None`: it was longer; the rest is read and dropped, so
/// the browser gets the answer instead of a broken connection).
async fn read_field(field: &mut Field, limit: usize) -> Result<Option<Vec<u8>>, AppError> {
    const DRAIN_MAX: usize = 8 * MAX_UPLOAD_BYTES;
    let (mut kept, mut total) = (Vec::new(), 0usize);
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest("error-bad-request-text"))?;
        total = total.saturating_add(chunk.len());
        if total > DRAIN_MAX {
            return Err(AppError::BadRequest("photo-error-too-large"));
        }
        if total <= limit {
            kept.extend_from_slice(&chunk);
        }
    }
    Ok((total <= limit).then_some(kept))
}

/// Reads the upload form: its first field must be the CSRF token (checked before the file is
/// read), then the `photo` file.
async fn read_upload(session: &Session, mut body: Multipart) -> Result<Upload, AppError> {
    let mut checked = false;
    let mut upload = Upload::Refused(PhotoRefusal::Missing);
    while let Some(field) = body.next().await {
        let mut field = field.map_err(|_| AppError::BadRequest("error-bad-request-text"))?;
        let name = field.name().unwrap_or_default().to_owned();
        if !checked {
            let token = match name == csrf::FIELD {
                true => read_field(&mut field, 512).await?,
                false => None,
            };
            if !token.is_some_and(|t| csrf::verify(session, &String::from_utf8_lossy(&t))) {
                return Err(AppError::Csrf);
            }
            checked = true;
        } else if name == "photo" && matches!(upload, Upload::Refused(PhotoRefusal::Missing)) {
            upload = match read_field(&mut field, MAX_UPLOAD_BYTES).await? {
                Some(bytes) if bytes.is_empty() => Upload::Refused(PhotoRefusal::Missing),
                Some(bytes) => Upload::File(bytes),
                None => Upload::Refused(PhotoRefusal::TooLarge),
            };
        } else {
            read_field(&mut field, 0).await?;
        }
    }
    if !checked {
        return Err(AppError::Csrf);
    }
    Ok(upload)
}

/// `POST /medewerkers/catalogus/{id}/foto`: a new photo for the product.
pub async fn upload_photo(
    state: web::Data<AppState>,
    cache: web::Data<CatalogueCache>,
    session: Session,
    allowed: Allowed<Catalogue>,
    ctx: PageCtx,
    id: web::Path<i64>,
    body: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let prepared = match read_upload(&session, body).await? {
        Upload::File(bytes) => web::block(move || photos::prepare(&bytes))
            .await
            .map_err(AppError::internal)?,
        Upload::Refused(refusal) => Err(refusal),
    };
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(refusal) => {
            let extras = Extras {
                photo_error: Some(refusal.message_key()),
                ..Extras::default()
            };
            return form_page(&state, ctx, &allowed.staff, Some(id), None, extras).await;
        }
    };
    let staff_id = allowed.staff.id;
    state
        .db
        .run(move |conn| catalogue::set_photo(conn, id, &prepared, staff_id))
        .await?;
    cache.invalidate();
    flash::set(&session, FlashKind::Success, "photo-saved");
    Ok(see_other(&format!("/medewerkers/catalogus/{id}")))
}

/// `GET /medewerkers/catalogus/{id}/foto/verwijderen`: asks first.
pub async fn confirm_remove_photo(
    state: web::Data<AppState>,
    allowed: Allowed<Catalogue>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let extras = Extras {
        confirm_remove_photo: true,
        ..Extras::default()
    };
    let id = Some(id.into_inner());
    form_page(&state, ctx, &allowed.staff, id, None, extras).await
}

/// `POST /medewerkers/catalogus/{id}/foto/verwijderen`: the illustration shows again.
pub async fn remove_photo(
    state: web::Data<AppState>,
    cache: web::Data<CatalogueCache>,
    session: Session,
    allowed: Allowed<Catalogue>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, staff_id) = (id.into_inner(), allowed.staff.id);
    state
        .db
        .run(move |conn| catalogue::remove_photo(conn, id, staff_id))
        .await?;
    cache.invalidate();
    flash::set(&session, FlashKind::Success, "photo-removed");
    Ok(see_other(&format!("/medewerkers/catalogus/{id}")))
}

/// The route table of this part of the back office.
pub fn configure(cfg: &mut web::ServiceConfig, resource: fn(&str) -> actix_web::Resource) {
    cfg.service(resource("/medewerkers/catalogus").route(web::get().to(list)))
        .service(
            resource("/medewerkers/catalogus/nieuw")
                .route(web::get().to(new_form))
                .route(web::post().to(create)),
        )
        .service(
            resource("/medewerkers/catalogus/{id}")
                .route(web::get().to(edit_form))
                .route(web::post().to(change)),
        )
        .service(resource("/medewerkers/catalogus/{id}/foto").route(web::post().to(upload_photo)))
        .service(
            resource("/medewerkers/catalogus/{id}/foto/verwijderen")
                .route(web::get().to(confirm_remove_photo))
                .route(web::post().to(remove_photo)),
        );
}
