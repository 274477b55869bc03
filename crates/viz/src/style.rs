//! How charts look beyond their data: a preset for the screen (the default), a paper
//! (6.5 inches wide at 300 dpi, 8-9 pt text, y axes naming their metric, no panel titles)
//! or a projector (large type, thick lines), a text scale, and a title and axis labels of
//! the user's own. As matplotlib's `plt.style.context`, a style holds for the charts
//! drawn inside [`with_style`], on that thread; every chart reads it through
//! [`current`], so no chart function takes it as an argument.

use std::cell::RefCell;

/// A preset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Preset {
    /// Each chart's own size and type (the default).
    #[default]
    Screen,
    /// For a journal: 6.5 inches wide at 300 dpi (1950 pixels), text at 8-9 pt, y axes
    /// naming their metric instead of panel titles, the overview in two columns; PNGs
    /// say 300 dpi and SVGs say their size in inches.
    Paper,
    /// For a projector: 1920 pixels wide, large type, thick lines.
    Projector,
}

/// The look of the charts drawn inside [`with_style`].
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// The preset.
    pub preset: Preset,
    /// Multiplies every text size, line and margin (1: the preset's own).
    pub font_scale: f64,
    /// Replaces each figure's title.
    pub title: Option<String>,
    /// Replaces the x axis's label (e.g. "Round").
    pub x_label: Option<String>,
    /// Replaces the y axis's label (every panel's).
    pub y_label: Option<String>,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            preset: Preset::Screen,
            font_scale: 1.0,
            title: None,
            x_label: None,
            y_label: None,
        }
    }
}

/// The paper preset's width in pixels: 6.5 inches at 300 dpi.
pub const PAPER_WIDTH: u32 = 1950;
/// The paper preset's resolution.
pub const PAPER_DPI: u32 = 300;
/// The paper preset's scale: design pixels to paper pixels ([`Style::scale`]).
pub const PAPER_SCALE: f64 = 2.65;
/// The projector preset's width in pixels.
pub const PROJECTOR_WIDTH: u32 = 1920;

impl Style {
    /// The size of a chart whose own default is `default`: the paper and projector widths,
    /// the height keeping the chart's proportions (`tall`: a figure the paper preset lays
    /// out in two columns, twice as tall).
    pub fn size(&self, default: (u32, u32), tall: bool) -> (u32, u32) {
        let to_width = |w: u32, stretch: f64| {
            let h = f64::from(default.1) * f64::from(w) / f64::from(default.0) * stretch;
            (w, h.round() as u32)
        };
        match self.preset {
            Preset::Screen => default,
            Preset::Paper => to_width(PAPER_WIDTH, if tall { 2.2 } else { 1.0 }),
            Preset::Projector => to_width(PROJECTOR_WIDTH, 1.0),
        }
    }

    /// The scale of a figure designed at `design_width` pixels and drawn `width` pixels
    /// wide: every size in it (text, lines, margins) is its design size times this.
    /// On screen and projector it follows the width (the projector's type 1.5 times
    /// larger); on paper it is fixed, so text has the same size in points in every paper
    /// figure: text of design size s is drawn with an em of s * 2.65 / 1.24 pixels
    /// (plotters' convention), so tick labels (16) come out at 34 px, 8.2 pt at 300 dpi,
    /// and axis labels (17) at 8.7 pt.
    pub fn scale(&self, width: u32, design_width: f64) -> f64 {
        let fitted = f64::from(width) / design_width;
        self.font_scale
            * match self.preset {
                Preset::Screen => fitted,
                Preset::Paper => PAPER_SCALE,
                Preset::Projector => fitted * 1.5,
            }
    }

    /// Whether panels drop their titles and name their metric on the y axis instead.
    pub fn metric_on_y(&self) -> bool {
        self.preset == Preset::Paper
    }

    /// The resolution a PNG declares (`None`: none).
    pub fn dpi(&self) -> Option<u32> {
        (self.preset == Preset::Paper).then_some(PAPER_DPI)
    }

    /// Checks the font scale: a number from 0.25 to 5.
    pub fn check(&self) -> Result<(), String> {
        if !(0.25..=5.0).contains(&self.font_scale) {
            return Err(format!(
                "--font-scale: expected a number from 0.25 to 5, found {}",
                self.font_scale
            ));
        }
        Ok(())
    }
}

thread_local! {
    static STYLE: RefCell<Style> = RefCell::new(Style::default());
}

/// Runs `f` with the charts it draws (on this thread) in `style`; the style before is back
/// afterwards, even if `f` panics.
pub fn with_style<T>(style: &Style, f: impl FnOnce() -> T) -> T {
    let _scoped = Scoped::new(style);
    f()
}

/// A style in force on this thread until the guard is dropped (for a command that draws
/// in several places), then the style before it again.
pub struct Scoped(Option<Style>);

impl Scoped {
    /// Puts `style` in force.
    pub fn new(style: &Style) -> Scoped {
        Scoped(Some(STYLE.with(|s| s.replace(style.clone()))))
    }
}

impl Drop for Scoped {
    fn drop(&mut self) {
        if let Some(old) = self.0.take() {
            STYLE.with(|s| *s.borrow_mut() = old);
        }
    }
}

/// The size of a chart of default size `default` in the style in force
/// ([`Style::size`]).
pub fn sized(default: (u32, u32), tall: bool) -> (u32, u32) {
    current().size(default, tall)
}

/// The style in force on this thread.
pub fn current() -> Style {
    STYLE.with(|s| s.borrow().clone())
}

/// Adds a `pHYs` chunk declaring `dpi` after a PNG's header chunk (so a word processor or
/// LaTeX places it at its size in inches).
pub(crate) fn png_with_dpi(png: Vec<u8>, dpi: u32) -> Vec<u8> {
    // Signature (8 bytes), then IHDR: length (4), type (4), 13 bytes of data, CRC (4).
    const AFTER_IHDR: usize = 8 + 4 + 4 + 13 + 4;
    if png.len() < AFTER_IHDR || &png[12..16] != b"IHDR" {
        return png;
    }
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    let mut body = Vec::with_capacity(13);
    body.extend_from_slice(b"pHYs");
    body.extend_from_slice(&per_metre.to_be_bytes());
    body.extend_from_slice(&per_metre.to_be_bytes());
    body.push(1); // the unit is the metre
    let mut out = Vec::with_capacity(png.len() + 21);
    out.extend_from_slice(&png[..AFTER_IHDR]);
    out.extend_from_slice(&9u32.to_be_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    out.extend_from_slice(&png[AFTER_IHDR..]);
    out
}

/// An SVG's size in inches at `dpi` (its view box unchanged).
pub(crate) fn svg_in_inches(svg: String, (w, h): (u32, u32), dpi: u32) -> String {
    let inches = |px: u32| format!("{:.3}in", f64::from(px) / f64::from(dpi));
    svg.replacen(
        &format!("<svg width=\"{w}\" height=\"{h}\""),
        &format!("<svg width=\"{}\" height=\"{}\"", inches(w), inches(h)),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_style_holds_inside_with_style_only() {
        let paper = Style {
            preset: Preset::Paper,
            ..Style::default()
        };
        assert_eq!(current(), Style::default());
        let inside = with_style(&paper, current);
        assert_eq!(inside, paper);
        assert_eq!(current(), Style::default());
        assert_eq!(paper.size((1800, 1000), false), (1950, 1083));
        assert_eq!(paper.size((1800, 1000), true), (1950, 2383));
        assert_eq!(Style::default().size((1800, 1000), true), (1800, 1000));
    }

    #[test]
    fn the_dpi_chunk_is_a_valid_png_chunk() {
        let mut png = Vec::new();
        {
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(&[255u8; 12], 2, 2, image::ColorType::Rgb8)
                .unwrap_or_default();
        }
        let with = png_with_dpi(png.clone(), 300);
        assert_eq!(with.len(), png.len() + 21);
        assert_eq!(&with[37..41], b"pHYs");
        // 300 dpi is 11811 pixels per metre.
        assert_eq!(
            u32::from_be_bytes([with[41], with[42], with[43], with[44]]),
            11811
        );
        // The image still decodes, at the same size.
        let decoded = image::load_from_memory(&with).map(|i| (i.width(), i.height()));
        assert_eq!(decoded.ok(), Some((2, 2)));
    }
}
