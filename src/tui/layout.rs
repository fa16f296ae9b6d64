//! Where each part of the screen goes, for a given terminal size: used by the views to draw and
//! by `update` to know which part a mouse click fell on and how tall lists are.

use ratatui::layout::Rect;

/// The screen's parts on the search screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchAreas {
    pub tabs: Rect,
    pub search: Rect,
    pub list: Rect,
    /// The detail pane, or the filter panel when it is open.
    pub side: Rect,
    pub status: Rect,
}

/// The screen's parts on the matches screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchAreas {
    pub tabs: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub status: Rect,
}

/// Rows of a bordered block's inside.
pub fn inner(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    }
}

/// The search screen in `size`.
pub fn search(size: Rect) -> SearchAreas {
    let tabs = Rect {
        height: 1.min(size.height),
        ..size
    };
    let search = Rect {
        y: size.y + 1,
        height: 3.min(size.height.saturating_sub(1)),
        ..size
    };
    let status = Rect {
        y: size.y + size.height.saturating_sub(1),
        height: 1.min(size.height),
        ..size
    };
    let body_y = size.y + 4;
    let body_h = size.height.saturating_sub(5);
    let list_w = (size.width as u32 * 45 / 100).max(30.min(size.width as u32)) as u16;
    let list = Rect {
        x: size.x,
        y: body_y,
        width: list_w,
        height: body_h,
    };
    let side = Rect {
        x: size.x + list_w,
        y: body_y,
        width: size.width.saturating_sub(list_w),
        height: body_h,
    };
    SearchAreas {
        tabs,
        search,
        list,
        side,
        status,
    }
}

/// The matches screen in `size`: the ranked list above, the selected item's reasons below.
pub fn matches(size: Rect) -> MatchAreas {
    let tabs = Rect {
        height: 1.min(size.height),
        ..size
    };
    let status = Rect {
        y: size.y + size.height.saturating_sub(1),
        height: 1.min(size.height),
        ..size
    };
    let body_h = size.height.saturating_sub(2);
    let detail_h = (body_h * 2 / 5).clamp(3.min(body_h), 12);
    let list = Rect {
        y: size.y + 1,
        height: body_h - detail_h,
        ..size
    };
    let detail = Rect {
        y: list.y + list.height,
        height: detail_h,
        ..size
    };
    MatchAreas {
        tabs,
        list,
        detail,
        status,
    }
}

/// A centred rectangle of at most `width`×`height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// True when the point lies in the rectangle.
pub fn contains(area: Rect, column: u16, row: u16) -> bool {
    column >= area.x && column < area.x + area.width && row >= area.y && row < area.y + area.height
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_tile_an_80_by_24_screen() {
        let a = search(Rect::new(0, 0, 80, 24));
        assert_eq!(a.list.height + 5, 24);
        assert_eq!(a.list.width + a.side.width, 80);
        assert_eq!(a.status.y, 23);
        let m = matches(Rect::new(0, 0, 80, 24));
        assert_eq!(m.list.height + m.detail.height + 2, 24);
        assert!(m.list.height >= 10);
    }

    #[test]
    fn tiny_screens_do_not_overflow() {
        let a = search(Rect::new(0, 0, 10, 3));
        assert!(a.list.width <= 10);
        let m = matches(Rect::new(0, 0, 10, 2));
        assert_eq!(m.list.height + m.detail.height, 0);
    }
}

/// The parts of a view that covers the whole screen (Gaps, saved searches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FullViewAreas {
    pub list: Rect,
    /// The selected row in full, under the list.
    pub detail: Rect,
    pub status: Rect,
}

/// A whole-screen view in `size`: a list over two thirds, the selected row's detail below, and
/// the status line.
pub fn full_view(size: Rect) -> FullViewAreas {
    let status_h = 1.min(size.height);
    let body_h = size.height.saturating_sub(status_h);
    let detail_h = (body_h / 3).max(3.min(body_h));
    let list_h = body_h.saturating_sub(detail_h);
    FullViewAreas {
        list: Rect {
            height: list_h,
            ..size
        },
        detail: Rect {
            y: size.y + list_h,
            height: detail_h,
            ..size
        },
        status: Rect {
            y: size.y + body_h,
            height: status_h,
            ..size
        },
    }
}
