//! Who may do what in a company, decided in one place: `CompanyMember` admits any user of a
//! company, `CompanyAdmin` only its admins (others get 403). The membership is read from the
//! database on every request, so removing a user ends their access at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::model::CompanyRole;
use super::repo::{self, Membership};
use crate::accounts::auth::Customer;
use crate::error::AppError;
use crate::web::AppState;

/// A logged-in user of a company.
pub struct CompanyMember {
    /// The account.
    pub customer: Customer,
    /// Their company and role.
    pub membership: Membership,
}

/// A logged-in admin of a company.
pub struct CompanyAdmin(pub CompanyMember);

async fn member(req: HttpRequest) -> Result<CompanyMember, AppError> {
    let customer = Customer::extract(&req).await?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("no app state"))?;
    let id = customer.id;
    let membership = state
        .db
        .run(move |conn| Ok(repo::membership_of(conn, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(CompanyMember {
        customer,
        membership,
    })
}

impl FromRequest for CompanyMember {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(member(req.clone()))
    }
}

impl FromRequest for CompanyAdmin {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let member = member(req).await?;
            if member.membership.role != CompanyRole::Admin {
                return Err(AppError::Forbidden);
            }
            Ok(CompanyAdmin(member))
        })
    }
}
