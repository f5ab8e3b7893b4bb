//! The lines of a change to a confirmed order: new quantities (0 takes a line off) and one
//! product added. Lines kept keep the prices they were ordered at; an added product is priced
//! from the catalogue as it is now, like any new order. Everything is checked before anything
//! is written, so a refused change leaves the order as it was.

use diesel::prelude::*;

use super::cart::{Cart, MAX_QUANTITY, PricedLine};
use super::phone::{LineFields, TypedLine, check_line};
use crate::catalog::service::Snapshot;
use crate::db::DbConn;
use crate::db::schema::{order_line_addons, order_lines, products};
use crate::domain::FieldErrors;
use crate::error::AppError;

/// A change's lines as typed: `(line id, quantity)` per existing line, and a product to add
/// (its product empty when none).
#[derive(Debug, Clone, Default)]
pub struct LineEdits {
    /// New quantities of the order's lines, as typed.
    pub quantities: Vec<(i64, String)>,
    /// A product to add, with its extras.
    pub add: TypedLine,
}

/// The field names of the product to add.
pub const ADD_FIELDS: LineFields = LineFields {
    product: "add_product",
    size: "add_size",
    quantity: "add_quantity",
    addons: "add_addons",
};

impl LineEdits {
    /// Reads `qty_{line id}`, `add_product`, `add_size`, `add_quantity` and every `add_addons`
    /// from a posted form.
    pub fn from_pairs(pairs: &[(String, String)]) -> LineEdits {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        LineEdits {
            quantities: pairs
                .iter()
                .filter_map(|(k, v)| {
                    Some((k.strip_prefix("qty_")?.parse().ok()?, v.trim().to_owned()))
                })
                .collect(),
            add: TypedLine {
                product: get(ADD_FIELDS.product),
                size: get(ADD_FIELDS.size),
                quantity: get(ADD_FIELDS.quantity),
                addons: pairs
                    .iter()
                    .filter(|(k, _)| k == ADD_FIELDS.addons)
                    .map(|(_, v)| v.clone())
                    .collect(),
            },
        }
    }
}

/// Checked line changes, ready to write.
#[derive(Debug, Clone)]
pub struct CheckedLines {
    /// `(line id, new quantity)` of lines whose quantity changes (0: taken off).
    changes: Vec<(i64, u32)>,
    /// The product added, priced now.
    added: Option<PricedLine>,
    /// The longest lead time of what the order will hold.
    pub lead_time_days: u32,
}

fn quantity(typed: &str) -> Option<u32> {
    typed.parse::<u32>().ok().filter(|q| *q <= MAX_QUANTITY)
}

impl CheckedLines {
    /// Whether the order's lines change (a quantity, a line off, a product added).
    pub fn touches_lines(&self) -> bool {
        !self.changes.is_empty() || self.added.is_some()
    }
}

/// Checks the typed lines against the order and the catalogue, without writing.
pub fn check(
    conn: &mut DbConn,
    order_id: i64,
    edits: &LineEdits,
    catalogue: &Snapshot,
) -> Result<Result<CheckedLines, FieldErrors>, AppError> {
    let lines: Vec<(i64, i32, Option<i32>)> = order_lines::table
        .left_join(products::table.on(products::slug.eq(order_lines::product_slug)))
        .filter(order_lines::order_id.eq(order_id))
        .select((
            order_lines::id,
            order_lines::quantity,
            products::lead_time_days.nullable(),
        ))
        .load(conn)?;
    let mut errors = FieldErrors::new();
    let mut changes = Vec::new();
    let mut lead = 0u32;
    let mut kept = 0usize;
    for (id, current, lead_days) in &lines {
        let typed = edits
            .quantities
            .iter()
            .find(|(line, _)| line == id)
            .map(|(_, q)| q.as_str());
        let new = match typed {
            None => u32::try_from(*current).unwrap_or(0),
            Some(typed) => match quantity(typed) {
                Some(q) => q,
                None => {
                    errors.insert("lines", "change-error-quantity");
                    continue;
                }
            },
        };
        if i64::from(new) != i64::from(*current) {
            changes.push((*id, new));
        }
        if new > 0 {
            kept += 1;
            lead = lead.max(u32::try_from(lead_days.unwrap_or(0)).unwrap_or(0));
        }
    }
    let added = match check_line(&edits.add, ADD_FIELDS, catalogue) {
        None => None,
        Some(Ok(line)) => Cart { lines: vec![line] }.price(catalogue).lines.pop(),
        Some(Err((field, key))) => {
            errors.insert(field, key);
            None
        }
    };
    if let Some(line) = &added {
        lead = lead.max(line.lead_time_days);
    }
    if errors.is_empty() && kept == 0 && added.is_none() {
        errors.insert("lines", "change-error-no-lines");
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(CheckedLines {
        changes,
        added,
        lead_time_days: lead,
    }))
}

/// Writes checked line changes: new quantities and totals (at the prices ordered), lines taken
/// off, the product added.
pub fn write(conn: &mut DbConn, order_id: i64, checked: &CheckedLines) -> QueryResult<()> {
    for (id, quantity) in &checked.changes {
        if *quantity == 0 {
            diesel::delete(order_line_addons::table.filter(order_line_addons::line_id.eq(id)))
                .execute(conn)?;
            diesel::delete(order_lines::table.find(id)).execute(conn)?;
            continue;
        }
        let unit: i64 = order_lines::table
            .find(id)
            .select(order_lines::unit_price_cents)
            .first(conn)?;
        let addons: Vec<i64> = order_line_addons::table
            .filter(order_line_addons::line_id.eq(id))
            .select(order_line_addons::price_cents)
            .load(conn)?;
        let per_item = unit + addons.iter().sum::<i64>();
        diesel::update(order_lines::table.find(id))
            .set((
                order_lines::quantity.eq(i32::try_from(*quantity).unwrap_or(0)),
                order_lines::line_total_cents.eq(per_item * i64::from(*quantity)),
            ))
            .execute(conn)?;
    }
    if let Some(line) = &checked.added {
        let last: Option<i32> = order_lines::table
            .filter(order_lines::order_id.eq(order_id))
            .select(diesel::dsl::max(order_lines::position))
            .first(conn)?;
        super::repo::insert_priced_line(conn, order_id, last.map_or(0, |p| p + 1), line)?;
    }
    Ok(())
}
