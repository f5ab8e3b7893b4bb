//! Staff roles and what each may do (P14: least privilege). This table is the one place where
//! authorisation is decided; routes ask it through the `Allowed` extractor or `StaffUser::may`.

use crate::domain::OrderStatus;

/// A staff member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The shop's owner: everything.
    Owner,
    /// Makes the orders: the production board and work tickets.
    Florist,
    /// Delivers: the route list, and what happened at each stop.
    Courier,
    /// Helps customers: reads the board to answer questions (customers and companies come
    /// with their own screens).
    Support,
}

/// Something a staff page or action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the production board.
    ViewBoard,
    /// Print an order's work ticket (with its card message).
    PrintTicket,
    /// Move an order through production (confirmed → … → out for delivery, pickups, cancel).
    MoveProduction,
    /// See the courier's route list (recipients' addresses and phones).
    ViewRoute,
    /// Record what happened at a stop (delivered, with the neighbours, …).
    RecordDelivery,
    /// Put deliveries on couriers' runs (and see every stop of a date).
    AssignRuns,
    /// See business clients and approve them for paying on account.
    ManageCompanies,
    /// Issue and read the monthly invoices (company financial data).
    Invoicing,
    /// Record a customer's privacy request made by phone or letter (an unsubscribe, P11).
    PrivacyRequests,
    /// Open and close delivery dates, change their capacity and cut-off, and the delivery
    /// zones and fees.
    ManageCalendar,
    /// Create staff accounts, change their role, disable them, reset their two-step login.
    ManageStaff,
    /// Write and send a newsletter edition.
    SendNewsletter,
    /// Add and change products, their sizes, prices and photos.
    ManageCatalogue,
    /// Look orders up by their customer's details, see everything an order holds, cancel and
    /// refund orders.
    Orders,
    /// Read the audit log: who looked at or acted on whose data (P14).
    ReadAudit,
    /// Read and answer questions and complaints from the contact forms (P7).
    Messages,
    /// Keep the processor register shown in the privacy statement (P10).
    ManageProcessors,
}

impl Role {
    /// Every role, in the order the command line lists them.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Florist, Role::Courier, Role::Support];

    /// The stored text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Florist => "florist",
            Role::Courier => "courier",
            Role::Support => "support",
        }
    }

    /// Parses the stored text form.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role may do `permission`.
    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Owner => true,
            Role::Florist => matches!(
                permission,
                ViewBoard | PrintTicket | MoveProduction | ManageCatalogue
            ),
            // A courier sees and records only the stops on their own run.
            Role::Courier => matches!(permission, ViewRoute | RecordDelivery),
            Role::Support => matches!(
                permission,
                ViewBoard | ManageCompanies | PrivacyRequests | SendNewsletter | Orders | Messages
            ),
        }
    }

    /// Whether logging in takes a second step (an authenticator app's code): for the roles
    /// that see customers' and companies' data or everything.
    pub fn needs_two_step(self) -> bool {
        matches!(self, Role::Owner | Role::Support)
    }

    /// The page this role starts on after logging in: the start page, with today's work and
    /// the links this role may follow.
    pub fn home(self) -> &'static str {
        "/medewerkers"
    }

    /// Catalogue key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Owner => "staff-role-owner",
            Role::Florist => "staff-role-florist",
            Role::Courier => "staff-role-courier",
            Role::Support => "staff-role-support",
        }
    }
}

/// Who may move an order from `from` to `to`: recording the outcome of a delivery is the
/// courier's, handing an order to the courier both the florist's and the courier's, every other
/// step production's.
pub fn may_move(role: Role, from: OrderStatus, to: OrderStatus) -> bool {
    if from == OrderStatus::OutForDelivery {
        role.may(Permission::RecordDelivery)
    } else if from == OrderStatus::Ready && to == OrderStatus::OutForDelivery {
        role.may(Permission::MoveProduction) || role.may(Permission::RecordDelivery)
    } else {
        role.may(Permission::MoveProduction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_as_stored() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn a_courier_records_deliveries_and_a_florist_makes_orders_but_neither_does_the_other() {
        use OrderStatus::*;
        assert!(may_move(Role::Courier, OutForDelivery, Delivered));
        assert!(!may_move(Role::Courier, Confirmed, InProduction));
        assert!(may_move(Role::Florist, Confirmed, InProduction));
        assert!(!may_move(Role::Florist, OutForDelivery, Delivered));
        assert!(may_move(Role::Florist, Ready, OutForDelivery));
        assert!(may_move(Role::Courier, Ready, OutForDelivery));
        assert!(
            !Role::Florist.may(Permission::ViewRoute),
            "P10: addresses only for couriers"
        );
        assert!(!may_move(Role::Support, Confirmed, InProduction));
        assert!(!may_move(Role::Support, OutForDelivery, Delivered));
        assert!(may_move(Role::Owner, OutForDelivery, Delivered));
        assert!(may_move(Role::Owner, Confirmed, Cancelled));
    }
}
