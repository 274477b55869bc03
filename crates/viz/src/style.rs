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
    /// Replaces each figure's title; an empty text leaves the title out.
    pub title: Option<String>,
    /// Replaces each figure's caption (the line under it that says what its lines, bands
    /// and marks are); an empty text leaves it out, for a caption set in the paper instead.
    pub caption: Option<String>,
    /// Replaces the x axis's label (e.g. "Round").
    pub x_label: Option<String>,
    /// Replaces the y axis's label (every panel's).
    pub y_label: Option<String>,
    /// The language of the axes' numbers (a decimal comma in Indonesian) and round label,
    /// and of every word of the network picture and the handout's chart; the other
    /// charts' words are English.
    pub lang: collabgov_study::i18n::Lang,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            preset: Preset::Screen,
            font_scale: 1.0,
            title: None,
            caption: None,
            x_label: None,
            y_label: None,
            lang: collabgov_study::i18n::Lang::En,
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

    /// The smallest font size (plotters' pixels) a caption may shrink to when it is too
    /// wide: on paper 8 pt at 300 dpi (an em of 33.3 pixels, 1.24 times that in plotters'
    /// size), times the font scale; elsewhere no floor. A caption still too wide then
    /// takes two lines (the charts' caption), so a journal never gets 6 pt text.
    pub fn min_font_size(&self) -> i32 {
        match self.preset {
            Preset::Paper => {
                (8.0 * f64::from(PAPER_DPI) / 72.0 * 1.24 * self.font_scale).ceil() as i32
            }
            Preset::Screen | Preset::Projector => 1,
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

    /// A figure's title: the user's own, else `default`; `None` when the user's is empty
    /// (the figure has no title band).
    pub fn title_of(&self, default: &str) -> Option<String> {
        Self::own_or(&self.title, default)
    }

    /// A figure's caption: the user's own, else `default`; `None` when the user's is empty.
    pub fn caption_of(&self, default: &str) -> Option<String> {
        Self::own_or(&self.caption, default)
    }

    fn own_or(own: &Option<String>, default: &str) -> Option<String> {
        match own.as_deref() {
            Some("") => None,
            Some(text) => Some(text.to_string()),
            None => Some(default.to_string()),
        }
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

/// An RGB buffer as PNG (the png crate with the settings image's encoder used before:
/// fast compression, adaptive filtering, so a chart is the same file as before),
/// declaring `dpi` in a `pHYs` chunk where a style gives one (so a word processor or LaTeX
/// places it at its size in inches).
pub(crate) fn encode_png(
    rgb: &[u8],
    width: u32,
    height: u32,
    dpi: Option<u32>,
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        encoder.set_filter(png::FilterType::Sub);
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        if let Some(dpi) = dpi {
            let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
            encoder.set_pixel_dims(Some(png::PixelDimensions {
                xppu: per_metre,
                yppu: per_metre,
                unit: png::Unit::Meter,
            }));
        }
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
    }
    Ok(out)
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
    fn a_png_declares_its_dpi_and_decodes_at_its_size() {
        let rgb: Vec<u8> = (0..2 * 3 * 3).map(|i| (i * 13) as u8).collect();
        let decode = |png: &[u8]| {
            let decoder = png::Decoder::new(png);
            let mut reader = decoder.read_info().expect("a PNG");
            let dims = reader.info().pixel_dims;
            let mut pixels = vec![0; reader.output_buffer_size()];
            let frame = reader.next_frame(&mut pixels).expect("a frame");
            pixels.truncate(frame.buffer_size());
            (frame.width, frame.height, dims, pixels)
        };
        let paper = encode_png(&rgb, 2, 3, Some(300)).expect("encoded");
        let (w, h, dims, pixels) = decode(&paper);
        assert_eq!((w, h), (2, 3));
        assert_eq!(pixels, rgb);
        // 300 dpi is 11811 pixels per metre.
        let dims = dims.expect("a pHYs chunk");
        assert_eq!((dims.xppu, dims.yppu), (11811, 11811));
        assert_eq!(dims.unit, png::Unit::Meter);
        let screen = encode_png(&rgb, 2, 3, None).expect("encoded");
        assert!(decode(&screen).2.is_none());
    }
}
