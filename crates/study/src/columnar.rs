//! Parquet tables (cargo feature `parquet`): any table this crate writes as CSV, written as
//! Parquet with typed columns, and read back to the very same CSV bytes.
//!
//! One conversion serves every table (rounds, replicates, actors, network, activities,
//! points), so the Parquet files hold exactly what the CSV files hold. Column types follow
//! what pandas infers from the CSV: a column whose every cell is an integer is `INT64`, one
//! whose every cell is a number is `DOUBLE`, any other is a UTF-8 string; an empty cell is a
//! null (a missing number). Numbers are written as the CSV files write them (Rust's
//! shortest round-trip form), so a number parsed from a cell formats back to that cell and
//! [`parquet_to_csv`] gives the CSV byte for byte (tested for every table).

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::types::Type;

/// A Parquet conversion that failed: the table's name and what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{table}: {message}")]
pub struct ColumnarError {
    /// The table (e.g. `rounds.csv`).
    pub table: String,
    /// What went wrong.
    pub message: String,
}

/// Rows per row group: bounds the memory of readers that stream by row group.
const ROW_GROUP: usize = 1 << 20;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Int,
    Double,
    Text,
}

/// The type of one column from its cells (empty cells aside): the narrowest of integer,
/// number and text under which every cell formats back to itself.
fn kind_of<'a>(cells: impl Iterator<Item = &'a str>) -> Kind {
    let mut kind = Kind::Int;
    for cell in cells.filter(|c| !c.is_empty()) {
        if kind == Kind::Int && cell.parse::<i64>().is_ok_and(|v| v.to_string() == cell) {
            continue;
        }
        if cell
            .parse::<f64>()
            .is_ok_and(|v| !v.is_nan() && collabgov_sim::stats::format_number(v) == cell)
        {
            kind = Kind::Double;
            continue;
        }
        return Kind::Text;
    }
    kind
}

/// Writes CSV text (with its header) as a Parquet file (Snappy-compressed) to `out`.
pub fn csv_to_parquet<W: Write + Send>(
    table: &str,
    csv_text: &[u8],
    out: W,
) -> Result<(), ColumnarError> {
    let err = |message: String| ColumnarError {
        table: table.to_string(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(csv_text);
    let headers = reader
        .headers()
        .map_err(|e| err(format!("expected a CSV header, found {e}")))?
        .clone();
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    for record in reader.records() {
        let record = record.map_err(|e| err(format!("expected CSV rows, found {e}")))?;
        for (column, cell) in columns.iter_mut().zip(record.iter()) {
            column.push(cell.to_string());
        }
    }
    let kinds: Vec<Kind> = columns
        .iter()
        .map(|c| kind_of(c.iter().map(String::as_str)))
        .collect();
    let fields = headers
        .iter()
        .zip(&kinds)
        .map(|(name, kind)| {
            let builder = match kind {
                Kind::Int => Type::primitive_type_builder(name, Physical::INT64),
                Kind::Double => Type::primitive_type_builder(name, Physical::DOUBLE),
                Kind::Text => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String)),
            };
            builder
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| err(format!("expected column names Parquet accepts, found {e}")))?;
    let schema = Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
        .map_err(|e| err(e.to_string()))?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("collabgov {}", env!("CARGO_PKG_VERSION")))
        .build();
    let io = |e: parquet::errors::ParquetError| err(e.to_string());
    let mut writer =
        SerializedFileWriter::new(out, Arc::new(schema), Arc::new(properties)).map_err(io)?;
    let rows = columns.first().map_or(0, Vec::len);
    let mut start = 0;
    while start < rows || (rows == 0 && start == 0) {
        let end = (start + ROW_GROUP).min(rows);
        let mut group = writer.next_row_group().map_err(io)?;
        for (column, kind) in columns.iter().zip(&kinds) {
            let cells = &column[start..end];
            let defs: Vec<i16> = cells
                .iter()
                .map(|c| i16::from(!c.is_empty() || *kind == Kind::Text))
                .collect();
            let present = cells
                .iter()
                .filter(|c| !c.is_empty() || *kind == Kind::Text);
            let mut col = group
                .next_column()
                .map_err(io)?
                .ok_or_else(|| err("expected a column writer for every column".into()))?;
            match kind {
                Kind::Int => {
                    let values: Vec<i64> = present.map(|c| c.parse().unwrap_or(0)).collect();
                    col.typed::<Int64Type>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(io)?;
                }
                Kind::Double => {
                    let values: Vec<f64> = present.map(|c| c.parse().unwrap_or(f64::NAN)).collect();
                    col.typed::<DoubleType>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(io)?;
                }
                Kind::Text => {
                    let values: Vec<ByteArray> =
                        present.map(|c| ByteArray::from(c.as_str())).collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(io)?;
                }
            }
            col.close().map_err(io)?;
        }
        group.close().map_err(io)?;
        start = end.max(start + 1);
    }
    writer.close().map_err(io)?;
    Ok(())
}

/// Most a Parquet table may expand to when read (its values, uncompressed), against its
/// size on disk: Snappy and the encodings of [`csv_to_parquet`] stay far below; a damaged
/// or hostile file that claims more is refused before it is decoded.
const MAX_EXPANSION: u64 = 200;
/// Most bytes a Parquet table may expand to whatever its size (4 GiB, the cap on reading a
/// CSV table).
const MAX_EXPANDED: u64 = 4 << 30;

/// Reads a Parquet table written by [`csv_to_parquet`] back to its CSV text, byte for byte.
/// A damaged file gives an error, never a panic: what its metadata says it expands to is
/// bounded before any value is decoded, and a decoder that panics on bad bytes is caught.
pub fn parquet_to_csv(table: &str, bytes: Vec<u8>) -> Result<Vec<u8>, ColumnarError> {
    let err = |message: String| ColumnarError {
        table: table.to_string(),
        message,
    };
    let on_disk = bytes.len() as u64;
    let decoded = quietly(move || decode(table, bytes, on_disk));
    decoded.unwrap_or_else(|what| {
        Err(err(format!(
            "expected a Parquet file, found a damaged one ({what})"
        )))
    })
}

thread_local! {
    /// Set while this thread decodes a file: a panic there is an error, not a message.
    static DECODING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err` with its message, and keeping the panic's message
/// off the terminal (the process's panic hook still reports every other panic).
fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let earlier = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !DECODING.with(std::cell::Cell::get) {
                earlier(info);
            }
        }));
    });
    DECODING.with(|d| d.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    DECODING.with(|d| d.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the decoder stopped".to_string())
    })
}

fn decode(table: &str, bytes: Vec<u8>, on_disk: u64) -> Result<Vec<u8>, ColumnarError> {
    let err = |message: String| ColumnarError {
        table: table.to_string(),
        message,
    };
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes))
        .map_err(|e| err(format!("expected a Parquet file, found {e}")))?;
    let cap = on_disk
        .saturating_mul(MAX_EXPANSION)
        .clamp(64 << 20, MAX_EXPANDED);
    let mut expanded: u64 = 0;
    for group in reader.metadata().row_groups() {
        for column in group.columns() {
            let size = u64::try_from(column.uncompressed_size()).unwrap_or(u64::MAX);
            expanded = expanded.saturating_add(size);
        }
    }
    // Every cell is at least a byte of CSV text and a field in memory: a run of nulls
    // compresses to nothing but expands with the rows it claims.
    let cells = reader
        .metadata()
        .row_groups()
        .iter()
        .map(|g| {
            u64::try_from(g.num_rows())
                .unwrap_or(u64::MAX)
                .saturating_mul(g.num_columns() as u64)
        })
        .fold(0u64, u64::saturating_add);
    let expanded = expanded.max(cells.saturating_mul(32));
    if expanded > cap {
        return Err(err(format!(
            "expected a table that expands to at most {cap} bytes, found one whose metadata says {expanded}: is it damaged?"
        )));
    }
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let mut out = csv::Writer::from_writer(Vec::new());
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    let csv_err = |e: csv::Error| err(e.to_string());
    out.write_record(&names).map_err(csv_err)?;
    let rows = reader
        .get_row_iter(None)
        .map_err(|e| err(format!("expected Parquet rows, found {e}")))?;
    let mut record: Vec<String> = Vec::with_capacity(names.len());
    for row in rows {
        let row = row.map_err(|e| err(format!("expected Parquet rows, found {e}")))?;
        record.clear();
        for (_, field) in row.get_column_iter() {
            record.push(match field {
                Field::Null => String::new(),
                Field::Long(v) => v.to_string(),
                Field::Double(v) => collabgov_sim::stats::format_number(*v),
                Field::Str(s) => s.clone(),
                other => {
                    return Err(err(format!(
                        "expected integer, number or text columns, found {other}"
                    )));
                }
            });
        }
        out.write_record(&record).map_err(csv_err)?;
    }
    out.into_inner()
        .map_err(|e| err(format!("cannot finish the CSV text: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(csv_text: &str) -> String {
        let mut bytes = Vec::new();
        csv_to_parquet("t.csv", csv_text.as_bytes(), &mut bytes).unwrap();
        String::from_utf8(parquet_to_csv("t.csv", bytes).unwrap()).unwrap()
    }

    #[test]
    fn parquet_types_follow_the_cells_and_the_text_comes_back() {
        let text =
            "round,metric,mean,until,name\n0,trust,0.5,,\"a, b\"\n1,trust,1,3,\n10,wins,-0,,x\n";
        assert_eq!(round_trip(text), text);
        assert_eq!(kind_of(["0", "1", "10"].into_iter()), Kind::Int);
        assert_eq!(kind_of(["0", "0.5", ""].into_iter()), Kind::Double);
        // "007" and "1e3" would not format back: text.
        assert_eq!(kind_of(["007"].into_iter()), Kind::Text);
        assert_eq!(kind_of(["1e3"].into_iter()), Kind::Text);
        assert_eq!(round_trip("a,b\n"), "a,b\n");
    }
}
