from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from service.archive_charts import write_stance_charts

PNG = b"\x89PNG\r\n\x1a\n"


def shard(path: Path, rows: list[dict]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def test_charts_over_time_and_per_outlet(tmp_path: Path) -> None:
    rows = [
        {"date": "2024-03-05", "outlet": "Koha", "stance_Kosovo": "favor", "stance_NATO": "neutral"},
        {"date": "2024-04-01T10:00:00", "outlet": "Informer", "stance_Kosovo": "against", "stance_NATO": "against"},
        {"date": None, "outlet": "Koha", "stance_Kosovo": "neutral", "stance_NATO": "favor"},
    ]
    files = [shard(tmp_path / "a.parquet", rows[:2]), shard(tmp_path / "b.parquet", rows[2:])]
    written = write_stance_charts(tmp_path, files, ["Kosovo", "NATO"], "date", "outlet", ["date", "outlet"])
    assert written == ["stance_over_time.png", "stance_by_outlet.png"]
    for name in written:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 1000


def test_no_chart_without_date_or_outlet_columns(tmp_path: Path) -> None:
    files = [shard(tmp_path / "a.parquet", [{"stance_Kosovo": "favor"}])]
    assert write_stance_charts(tmp_path, files, ["Kosovo"], "date", "outlet", ["views"]) == []
    assert not list(tmp_path.glob("*.png"))
