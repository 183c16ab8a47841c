using Actors.Wal;

namespace Actors.Persistence.Wal;

/// <summary>Maps grains to log streams: one stream per grain, named by its grain id.</summary>
/// <remarks>
/// The stream id is the grain id's string form <c>type/key</c> (for example <c>account/42</c>), so tools such as
/// <c>actors-wal dump</c> show which grain a stream belongs to. The grain type name is stable (it comes from the
/// class name or <see cref="GrainTypeAttribute"/>); renaming a grain type orphans its streams.
/// </remarks>
public static class GrainStreams
{
    /// <summary>The stream id of <paramref name="grainId"/>.</summary>
    /// <exception cref="InvalidStreamIdException">The id is longer than <see cref="StreamId.MaxByteLength"/> UTF-8 bytes.</exception>
    public static string GetStreamId(GrainId grainId)
    {
        string streamId = grainId.ToString();
        StreamId.Validate(streamId);
        return streamId;
    }
}
