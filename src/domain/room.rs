//! 室号 — room numbers, and the floor they are on.

use super::DomainError;

/// A room number as written on the door: `301`, `1502`, or with a unit (单元) prefix
/// `1-302`. The floor is the room's digits without the last two.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Room {
    /// Canonical text, e.g. `1-302`.
    pub text: String,
    pub unit: Option<u16>,
    pub floor: u16,
    pub number: u16,
}

impl Room {
    /// Accepts `301`, `301室`, `1-302`, `1单元302`, full-width digits and dash.
    pub fn parse(input: &str) -> Result<Room, DomainError> {
        let bad = || DomainError::BadRoom(input.trim().to_string());
        let s: String = input
            .trim()
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => Some(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
                '－' | '—' | '–' | '单' => Some('-'),
                '元' | '室' | '号' | ' ' => None,
                c => Some(c),
            })
            .collect();
        let (unit, num) = match s.split_once('-') {
            Some((u, n)) => (Some(u), n),
            None => (None, s.as_str()),
        };
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(num) || !(3..=4).contains(&num.len()) {
            return Err(bad());
        }
        let unit = match unit {
            Some(u) if digits(u) && u.len() <= 2 => Some(u.parse::<u16>().map_err(|_| bad())?),
            Some(_) => return Err(bad()),
            None => None,
        };
        let number: u16 = num.parse().map_err(|_| bad())?;
        let floor = number / 100;
        if floor == 0 {
            return Err(bad());
        }
        let text = match unit {
            Some(u) => format!("{u}-{num}"),
            None => num.to_string(),
        };
        Ok(Room {
            text,
            unit,
            floor,
            number,
        })
    }

    /// Floor of a stored room text; rooms that do not parse sort onto floor 0.
    pub fn floor_of(text: &str) -> u16 {
        Room::parse(text).map(|r| r.floor).unwrap_or(0)
    }

    /// Sort key putting rooms in the order one walks the stairs: floor, then room, then unit.
    pub fn sort_key(text: &str) -> (u16, u16, u16) {
        match Room::parse(text) {
            Ok(r) => (r.floor, r.number, r.unit.unwrap_or(0)),
            Err(_) => (u16::MAX, 0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rooms_and_floors() {
        let r = Room::parse("1-302").unwrap();
        assert_eq!(
            (r.unit, r.floor, r.number, r.text.as_str()),
            (Some(1), 3, 302, "1-302")
        );
        assert_eq!(Room::parse("1502").unwrap().floor, 15);
        assert_eq!(Room::parse("３０１室").unwrap().text, "301");
        assert_eq!(Room::parse("2单元401").unwrap().text, "2-401");
    }

    #[test]
    fn rejects_what_is_not_a_room() {
        for s in ["", "abc", "30", "12345", "a-301", "001", "三楼"] {
            let e = Room::parse(s).unwrap_err();
            assert!(e.to_string().contains("室号"), "{e}");
        }
    }

    #[test]
    fn stair_order() {
        let mut rooms = vec!["1201", "302", "1-301", "201"];
        rooms.sort_by_key(|r| Room::sort_key(r));
        assert_eq!(rooms, vec!["201", "1-301", "302", "1201"]);
    }
}
