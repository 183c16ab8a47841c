using System.Text;
using System.Text.Json;
using Actors.Wal.Inspection;

namespace Actors.Wal.Tool.Output;

/// <summary>The JSON forms of <c>inspect --json</c> and <c>validate --json</c>.</summary>
internal static class ReportJson
{
    /// <summary>The overview and the segment table.</summary>
    public static string Inspect(LogVerification report)
    {
        return Write(w =>
        {
            WriteSummary(w, report);
            w.WriteStartArray("segments");
            foreach (var s in report.Segments)
            {
                w.WriteStartObject();
                w.WriteNumber("id", s.Id);
                w.WriteString("file", s.FileName);
                w.WriteString("header", s.HeaderState.ToString());
                w.WriteNumber("formatVersion", s.FormatVersion);
                w.WriteNumber("minCompatibleVersion", s.MinCompatibleVersion);
                w.WriteNumber("fileBytes", s.FileLength);
                w.WriteNumber("allocatedBytes", s.AllocatedBytes);
                w.WriteNumber("dataEnd", s.DataEnd);
                w.WriteNumber("records", s.Records);
                w.WriteNumber("recordBytes", s.RecordBytes);
                w.WriteNumber("liveBytes", s.LiveBytes);
                w.WriteNumber("liveRatio", s.LiveRatio);
                w.WriteNumber("minLsn", s.MinLsn);
                w.WriteNumber("maxLsn", s.MaxLsn);
                if (s.CreatedAt is { } created)
                {
                    w.WriteString("createdUtc", created);
                }
                else
                {
                    w.WriteNull("createdUtc");
                }

                w.WriteBoolean("sealed", s.IsSealed);
                w.WriteNumber("damagedRecords", s.DamagedRecords);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The verdict and every finding.</summary>
    public static string Validate(LogVerification report, string result)
    {
        return Write(w =>
        {
            w.WriteString("result", result);
            WriteSummary(w, report);
            w.WriteStartArray("findings");
            foreach (var f in report.Findings)
            {
                w.WriteStartObject();
                w.WriteString("kind", f.Kind.ToString());
                w.WriteString("file", f.File);
                if (f.SegmentId is { } id)
                {
                    w.WriteNumber("segment", id);
                }
                else
                {
                    w.WriteNull("segment");
                }

                if (f.Offset is { } offset)
                {
                    w.WriteNumber("offset", offset);
                }
                else
                {
                    w.WriteNull("offset");
                }

                w.WriteString("message", f.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (string note in report.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
        });
    }

    private static void WriteSummary(Utf8JsonWriter w, LogVerification report)
    {
        w.WriteString("directory", report.Directory);
        w.WriteBoolean("locked", report.IsLocked);
        w.WriteString("state", VerificationText.StateName(report.State));
        w.WriteNumber("segmentCount", report.Segments.Count);
        w.WriteNumber("sealedSegments", report.Segments.Count(s => s.IsSealed));
        w.WriteNumber("streams", report.Streams.Count);
        w.WriteNumber("deletedStreams", report.Streams.Values.Count(s => s.IsDeleted));
        w.WriteNumber("records", report.Records);
        w.WriteNumber("maxLsn", report.MaxLsn);
        w.WriteNumber("fileBytes", report.FileBytes);
        w.WriteNumber("allocatedBytes", report.AllocatedBytes);
        w.WriteNumber("recordBytes", report.RecordBytes);
        w.WriteNumber("liveBytes", report.LiveBytes);
        w.WriteNumber("reclaimableBytes", report.ReclaimableBytes);
        if (report.RecoveryPoint is { } snap)
        {
            w.WriteStartObject("recoveryPoint");
            w.WriteNumber("segment", snap.Segment);
            w.WriteNumber("offset", snap.Offset);
            w.WriteBoolean("cleanShutdown", snap.CleanShutdown);
            w.WriteNumber("nextLsn", snap.NextLsn);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("recoveryPoint");
        }

        w.WriteStartArray("formatVersions");
        foreach (ushort v in report.Segments.Where(s => s.HeaderState is SegmentHeaderState.Ok or SegmentHeaderState.UnsupportedVersion).Select(s => s.FormatVersion).Distinct())
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
