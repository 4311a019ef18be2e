//! The tenant's user directory: people synced from an identity provider,
//! about 0.8 per device. US tenants get English names; EU tenants German,
//! French, Italian and Portuguese ones with a European company domain.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use fake::Fake;
use fake::faker::name::raw::{FirstName, LastName};
use fake::locales::{DE_DE, EN, FR_FR, IT_IT, PT_PT};

use super::draw::{between, chance, deck, weighted};
use crate::host::Region;
use crate::seed::{SeededRng, uuid};

/// A department, with the share of staff in it and their job titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Department {
    /// Engineers, designers and IT: the Engineering blueprint.
    Engineering,
    /// Sales, marketing, customer success: the Sales & Marketing blueprint.
    Revenue,
    /// Finance and people teams: the Default Blueprint.
    Operations,
    /// External contractors: the Contractors blueprint.
    Contractor,
    /// No department in the directory: the Default Blueprint.
    Unknown,
}

const DEPARTMENTS: &[(Department, f64)] = &[
    (Department::Engineering, 0.36),
    (Department::Revenue, 0.32),
    (Department::Operations, 0.12),
    (Department::Contractor, 0.09),
];

/// One directory user, as `GET /users` returns them.
#[derive(Debug, Clone)]
pub struct User {
    /// UUID.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// The local macOS account name on their Mac.
    pub username: String,
    /// Archived in the directory (left the company).
    pub archived: bool,
    /// When the directory sync first saw them.
    pub created_at: DateTime<Utc>,
    /// Last directory change.
    pub updated_at: DateTime<Utc>,
    /// The department group.
    pub department: Department,
    /// `department` as the directory spells it, if set.
    pub department_name: Option<&'static str>,
    /// `job_title`, if set.
    pub job_title: Option<&'static str>,
    /// The old integer id, as a numeric string.
    pub deprecated_id: String,
    /// Devices assigned to them; filled in once devices exist.
    pub device_count: usize,
}

fn department_names(department: Department) -> &'static [(&'static str, &'static [&'static str])] {
    match department {
        Department::Engineering => &[
            (
                "Engineering",
                &[
                    "Software Engineer",
                    "Senior Software Engineer",
                    "Staff Engineer",
                    "Engineering Manager",
                    "SRE",
                ],
            ),
            ("Design", &["Product Designer", "UX Researcher"]),
            ("IT", &["IT Administrator", "Security Engineer"]),
        ],
        Department::Revenue => &[
            (
                "Sales",
                &[
                    "Account Executive",
                    "Sales Development Representative",
                    "Sales Manager",
                ],
            ),
            ("Marketing", &["Marketing Manager", "Content Strategist"]),
            (
                "Customer Success",
                &["Customer Success Manager", "Support Specialist"],
            ),
        ],
        Department::Operations => &[
            (
                "Finance",
                &["Accountant", "Financial Analyst", "Controller"],
            ),
            ("People", &["People Partner", "Recruiter"]),
        ],
        Department::Contractor => &[("External", &["Contractor", "Consultant"])],
        Department::Unknown => &[],
    }
}

/// Turns a name into the ASCII an email address or account name can use.
pub fn ascii_fold(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'ä' | 'æ' => out.push_str("ae"),
            'ö' | 'œ' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' => out.push('o'),
            'ù' | 'ú' | 'û' => out.push('u'),
            _ => {}
        }
    }
    out
}

fn person_name(rng: &mut SeededRng, region: Region) -> (String, String) {
    match region {
        Region::Us => (
            FirstName(EN).fake_with_rng(rng),
            LastName(EN).fake_with_rng(rng),
        ),
        Region::Eu => match between(rng, 0, 99) {
            0..=39 => (
                FirstName(DE_DE).fake_with_rng(rng),
                LastName(DE_DE).fake_with_rng(rng),
            ),
            40..=64 => (
                FirstName(FR_FR).fake_with_rng(rng),
                LastName(FR_FR).fake_with_rng(rng),
            ),
            65..=84 => (
                FirstName(IT_IT).fake_with_rng(rng),
                LastName(IT_IT).fake_with_rng(rng),
            ),
            _ => (
                FirstName(PT_PT).fake_with_rng(rng),
                LastName(PT_PT).fake_with_rng(rng),
            ),
        },
    }
}

/// Generates `count` users for a company at `domain`; contractors get
/// addresses at `partner_domain`.
pub fn generate(
    rng: &mut SeededRng,
    count: usize,
    region: Region,
    domain: &str,
    partner_domain: &str,
    now: DateTime<Utc>,
) -> Vec<User> {
    let departments = deck(rng, count, DEPARTMENTS, Department::Unknown, 10);
    let mut taken = HashSet::new();
    let mut users = Vec::with_capacity(count);

    for (index, department) in departments.into_iter().enumerate() {
        let (first, last) = person_name(rng, region);
        let (first_ascii, last_ascii) = (ascii_fold(&first), ascii_fold(&last));

        // first.last@domain, with a number when two people share a name.
        let host = if department == Department::Contractor {
            partner_domain
        } else {
            domain
        };
        let base = format!("{first_ascii}.{last_ascii}");
        let mut local = base.clone();
        let mut suffix = 2;
        while !taken.insert(format!("{local}@{host}")) {
            local = format!("{base}{suffix}");
            suffix += 1;
        }

        let names = department_names(department);
        let (department_name, job_title) = if names.is_empty() {
            (None, None)
        } else {
            let (dept, titles) = weighted(rng, names, |_| 1);
            let title = *weighted(rng, titles, |_| 1);
            (Some(*dept), chance(rng, 0.85).then_some(title))
        };

        let created_at = now
            - Duration::days(between(rng, 40, 1400))
            - Duration::seconds(between(rng, 0, 86_399));
        let updated_at = created_at + Duration::days(between(rng, 0, 30));
        users.push(User {
            id: uuid(rng),
            name: format!("{first} {last}"),
            email: format!("{local}@{host}"),
            username: format!(
                "{}{}",
                first_ascii.chars().next().unwrap_or('u'),
                last_ascii
            ),
            archived: chance(rng, 0.06),
            created_at,
            updated_at: updated_at.min(now),
            department,
            department_name,
            job_title,
            deprecated_id: (29_000 + index * 7 + between(rng, 0, 6) as usize).to_string(),
            device_count: 0,
        });
    }
    users
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::rng_for;

    #[test]
    fn accents_fold_to_ascii_for_email_addresses() {
        assert_eq!(ascii_fold("Jürgen Groß"), "juergengross");
        assert_eq!(ascii_fold("François-Noël"), "francoisnoel");
        assert_eq!(ascii_fold("João D'Ávila"), "joaodavila");
    }

    #[test]
    fn emails_are_unique_and_on_the_company_domain() {
        let now = Utc::now();
        let users = generate(
            &mut rng_for(5, 5),
            300,
            Region::Eu,
            "acme.de",
            "partners.eu",
            now,
        );
        let emails: HashSet<_> = users.iter().map(|u| u.email.as_str()).collect();
        assert_eq!(emails.len(), 300);
        assert!(
            users
                .iter()
                .all(|u| u.email.ends_with("@acme.de") || u.email.ends_with("@partners.eu"))
        );
        assert!(users.iter().all(|u| u.email.is_ascii()));
    }
}
