//! What ordering's handlers reach: the shared plumbing (`AppState`, through `Deref`) plus what
//! startup registered for ordering as its own `app_data`: the catalogue snapshot, the delivery
//! plan and the payment provider.

use std::future::{Ready, ready};
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::catalog::cache::CatalogueCache;
use crate::delivery::service::PlanCache;
use crate::error::AppError;
use crate::payment::Payments;
use crate::web::AppState;

/// Ordering's view of the application, extracted per request (a few reference-count bumps).
pub struct OrderingState {
    shared: web::Data<AppState>,
    /// The shared catalogue snapshot.
    pub catalogue: web::Data<CatalogueCache>,
    /// The shared delivery plan.
    pub delivery: web::Data<PlanCache>,
    /// The payment provider, if one is configured.
    pub payments: web::Data<Payments>,
}

impl Deref for OrderingState {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.shared
    }
}

fn registered<T: 'static>(req: &HttpRequest) -> Result<web::Data<T>, AppError> {
    req.app_data::<web::Data<T>>().cloned().ok_or_else(|| {
        AppError::internal(format!(
            "{} is not registered on the app",
            std::any::type_name::<T>()
        ))
    })
}

impl OrderingState {
    /// Ordering's state from the app data startup registered.
    pub fn from_request(req: &HttpRequest) -> Result<OrderingState, AppError> {
        Ok(OrderingState {
            shared: registered::<AppState>(req)?,
            catalogue: registered::<CatalogueCache>(req)?,
            delivery: registered::<PlanCache>(req)?,
            payments: registered::<Payments>(req)?,
        })
    }
}

impl FromRequest for OrderingState {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(OrderingState::from_request(req))
    }
}
