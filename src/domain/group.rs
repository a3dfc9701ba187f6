//! The party group's size rule: at least 3 members, in principle no more than 10 [seed].

/// What the member count says about the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSize {
    /// Fewer than 3: the group cannot yet be formed as the practice requires.
    TooFew(usize),
    Ok(usize),
    /// More than 10: suggest splitting the group.
    TooMany(usize),
}

/// Checks the member count against the practice's rule.
pub fn check_group_size(members: usize) -> GroupSize {
    match members {
        n if n < 3 => GroupSize::TooFew(n),
        n if n > 10 => GroupSize::TooMany(n),
        n => GroupSize::Ok(n),
    }
}

impl GroupSize {
    /// A short note for the building header, in Chinese or English.
    pub fn note(self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        match (self, lang) {
            (GroupSize::TooFew(n), Lang::Zh) => format!("党员 {n} 名 · 不足3名"),
            (GroupSize::TooMany(n), Lang::Zh) => format!("党员 {n} 名 · 超过10名，建议分组"),
            (GroupSize::Ok(n), Lang::Zh) => format!("党员 {n} 名"),
            (GroupSize::TooFew(n), Lang::En) => format!("{n} members · fewer than 3"),
            (GroupSize::TooMany(n), Lang::En) => {
                format!("{n} members · over 10, consider splitting")
            }
            (GroupSize::Ok(n), Lang::En) => format!("{n} members"),
        }
    }

    pub fn is_ok(self) -> bool {
        matches!(self, GroupSize::Ok(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn three_to_ten_is_a_proper_group() {
        assert_eq!(check_group_size(2), GroupSize::TooFew(2));
        assert!(check_group_size(3).is_ok());
        assert!(check_group_size(10).is_ok());
        assert_eq!(check_group_size(11), GroupSize::TooMany(11));
        assert!(check_group_size(11).note(Lang::Zh).contains("建议分组"));
        assert!(check_group_size(0).note(Lang::En).contains("fewer than 3"));
    }
}
