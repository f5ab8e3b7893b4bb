//! Back-office catalogue use cases: each change to a product or its photo is checked, stored
//! and recorded in the change log (who, when, what) in one transaction.

use super::office_repo::{self, Change};
use crate::catalog::manage;
use crate::catalog::photos::{self, PreparedPhoto};
use crate::catalog::product_form::{Choices, ProductDraft, ProductForm};
use crate::catalog::repo::ProductRow;
use crate::db::DbConn;
use crate::domain::FieldErrors;
use crate::error::AppError;

/// How many recorded changes the product page lists.
const CHANGES_SHOWN: i64 = 30;

fn subject(id: i64) -> String {
    format!("product:{id}")
}

/// What the product page shows: the stored product (with its form) and its change log.
pub struct ProductView {
    /// The row (for its URL name and photo).
    pub row: ProductRow,
    /// The product as a draft (the form's values).
    pub draft: ProductDraft,
    /// What the form chooses from.
    pub choices: Choices,
    /// Its recorded changes, newest first.
    pub changes: Vec<Change>,
}

/// A stored product with what its page needs.
pub fn view(conn: &mut DbConn, id: i64) -> Result<ProductView, AppError> {
    conn.read_tx(|conn| {
        let (row, draft) = manage::stored(conn, id)?.ok_or(AppError::NotFound)?;
        Ok(ProductView {
            row,
            draft,
            choices: manage::choices(conn, Some(id))?,
            changes: office_repo::changes_to(conn, &subject(id), CHANGES_SHOWN)?,
        })
    })
}

/// What a new product's form chooses from, and the position after the last product.
pub fn new_product(conn: &mut DbConn) -> Result<(Choices, i32), AppError> {
    conn.read_tx(|conn| Ok((manage::choices(conn, None)?, manage::next_position(conn)?)))
}

/// Adds a product (`id` `None`) or changes one; its id, or what to fix.
pub fn save(
    conn: &mut DbConn,
    id: Option<i64>,
    form: &ProductForm,
    staff_id: i64,
) -> Result<Result<i64, FieldErrors>, AppError> {
    conn.write_tx(|conn| {
        let before = match id {
            Some(id) => Some(manage::stored(conn, id)?.ok_or(AppError::NotFound)?),
            None => None,
        };
        let choices = manage::choices(conn, id)?;
        let own_slug = before.as_ref().map(|(row, _)| row.slug.as_str());
        let draft = match form.parse(&choices, own_slug) {
            Ok(draft) => draft,
            Err(errors) => return Ok(Err(errors)),
        };
        if id.is_none() && manage::slug_taken(conn, &draft.slug)? {
            return Ok(Err(FieldErrors::from([(
                "slug",
                "product-error-slug-taken",
            )])));
        }
        let summary = manage::describe_change(before.as_ref().map(|(_, d)| d), &draft);
        let id = manage::write(conn, id, &draft)?;
        if let Some(summary) = summary {
            office_repo::record_change(conn, staff_id, &subject(id), &summary)?;
        }
        Ok(Ok(id))
    })
}

/// Puts a checked photo on a product in place of its previous one.
pub fn set_photo(
    conn: &mut DbConn,
    id: i64,
    prepared: &PreparedPhoto,
    staff_id: i64,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        manage::stored(conn, id)?.ok_or(AppError::NotFound)?;
        let previous = photos::attach(conn, id, prepared)?;
        let verb = if previous.is_some() {
            "photo replaced"
        } else {
            "photo added"
        };
        let widths: Vec<String> = prepared.photo.widths.iter().map(u32::to_string).collect();
        let summary = format!("{verb} ({} px)", widths.join("/"));
        office_repo::record_change(conn, staff_id, &subject(id), &summary)?;
        Ok(())
    })
}

/// Takes a product's photo off; the illustration shows again.
pub fn remove_photo(conn: &mut DbConn, id: i64, staff_id: i64) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let (row, _) = manage::stored(conn, id)?.ok_or(AppError::NotFound)?;
        if row.photo.is_some() {
            photos::detach(conn, id)?;
            office_repo::record_change(conn, staff_id, &subject(id), "photo removed")?;
        }
        Ok(())
    })
}
