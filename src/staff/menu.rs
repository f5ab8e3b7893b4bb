//! The staff menu: one list of sections, the same on every staff page, showing each role only
//! the sections it may open (P14).

use super::auth::StaffUser;
use super::model::{Permission, Role};

/// A part of the back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The start page.
    Home,
    /// The production board (and its work tickets).
    Board,
    /// Finding an order, and what it holds.
    Orders,
    /// Questions and complaints from the contact forms.
    Messages,
    /// The courier's list.
    Route,
    /// Products, sizes, prices and photos.
    Catalogue,
    /// The delivery calendar.
    Calendar,
    /// Delivery zones and fees.
    Zones,
    /// Business clients.
    Companies,
    /// Monthly invoices.
    Invoices,
    /// Privacy requests by post, e-mail or phone (and unsubscribes by phone or letter).
    PrivacyDesk,
    /// Writing and sending a newsletter edition.
    Newsletter,
    /// Staff accounts.
    Team,
}

impl Section {
    /// Every section in menu order.
    pub const ALL: [Section; 13] = [
        Section::Home,
        Section::Board,
        Section::Orders,
        Section::Messages,
        Section::Route,
        Section::Catalogue,
        Section::Calendar,
        Section::Zones,
        Section::Companies,
        Section::Invoices,
        Section::PrivacyDesk,
        Section::Newsletter,
        Section::Team,
    ];

    /// Where the section starts.
    pub fn href(self) -> &'static str {
        match self {
            Section::Home => "/medewerkers",
            Section::Board => "/medewerkers/productie",
            Section::Orders => "/medewerkers/bestellingen",
            Section::Messages => "/medewerkers/berichten",
            Section::Route => "/medewerkers/bezorging",
            Section::Catalogue => "/medewerkers/catalogus",
            Section::Calendar => "/medewerkers/kalender",
            Section::Zones => "/medewerkers/zones",
            Section::Companies => "/medewerkers/bedrijven",
            Section::Invoices => "/medewerkers/facturen",
            Section::PrivacyDesk => "/medewerkers/verzoeken",
            Section::Newsletter => "/medewerkers/nieuwsbrief/schrijven",
            Section::Team => "/medewerkers/team",
        }
    }

    /// Catalogue key of the menu label.
    pub fn label_key(self) -> &'static str {
        match self {
            Section::Home => "staff-home-title",
            Section::Board => "staff-board-title",
            Section::Orders => "staff-orders-title",
            Section::Messages => "staff-messages-title",
            Section::Route => "staff-courier-title",
            Section::Catalogue => "staff-catalogue-title",
            Section::Calendar => "staff-calendar-title",
            Section::Zones => "staff-zones-title",
            Section::Companies => "staff-companies-title",
            Section::Invoices => "staff-invoices-title",
            Section::PrivacyDesk => "staff-requests-title",
            Section::Newsletter => "staff-compose-title",
            Section::Team => "staff-team-title",
        }
    }

    /// What a role needs to open the section (`None`: every staff member).
    pub fn needs(self) -> Option<Permission> {
        match self {
            Section::Home => None,
            Section::Board => Some(Permission::ViewBoard),
            Section::Orders => Some(Permission::Orders),
            Section::Messages => Some(Permission::Messages),
            Section::Route => Some(Permission::ViewRoute),
            Section::Catalogue => Some(Permission::ManageCatalogue),
            Section::Calendar | Section::Zones => Some(Permission::ManageCalendar),
            Section::Companies => Some(Permission::ManageCompanies),
            Section::Invoices => Some(Permission::Invoicing),
            Section::PrivacyDesk => Some(Permission::PrivacyRequests),
            Section::Newsletter => Some(Permission::SendNewsletter),
            Section::Team => Some(Permission::ManageStaff),
        }
    }

    /// Whether `role` may open the section.
    pub fn open_to(self, role: Role) -> bool {
        self.needs().is_none_or(|p| role.may(p))
    }
}

/// The menu on a staff page: who is logged in and where they are.
#[derive(Debug, Clone)]
pub struct StaffMenu {
    /// Name, beside the logout button.
    pub name: String,
    /// Role, deciding the links.
    pub role: Role,
    /// The section the page belongs to.
    pub current: Section,
}

impl StaffMenu {
    /// The menu for `staff` on a page of `current`.
    pub fn new(staff: &StaffUser, current: Section) -> StaffMenu {
        StaffMenu {
            name: staff.name.clone(),
            role: staff.role,
            current,
        }
    }

    /// The sections this role may open, in menu order.
    pub fn sections(&self) -> Vec<Section> {
        Section::ALL
            .into_iter()
            .filter(|s| s.open_to(self.role))
            .collect()
    }

    /// Whether `section` is the current one.
    pub fn is_current(&self, section: &Section) -> bool {
        *section == self.current
    }

    /// Whether the role may do `permission` (for links and buttons inside a page).
    pub fn may(&self, permission: Permission) -> bool {
        self.role.may(permission)
    }

    /// Whether the processor register may be kept (linked from the privacy desk).
    pub fn may_keep_register(&self) -> bool {
        self.may(Permission::ManageProcessors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_only_the_sections_it_may_open() {
        let menu = |role| StaffMenu {
            name: String::new(),
            role,
            current: Section::Home,
        };
        assert_eq!(menu(Role::Owner).sections(), Section::ALL.to_vec());
        assert_eq!(
            menu(Role::Florist).sections(),
            vec![Section::Home, Section::Board, Section::Catalogue]
        );
        assert_eq!(
            menu(Role::Courier).sections(),
            vec![Section::Home, Section::Route]
        );
        assert_eq!(
            menu(Role::Support).sections(),
            vec![
                Section::Home,
                Section::Board,
                Section::Orders,
                Section::Messages,
                Section::Companies,
                Section::PrivacyDesk,
                Section::Newsletter
            ]
        );
    }
}
