using Actors.Cluster.Messaging;

namespace Actors.Cluster.GrainLocation;

/*
 * Directory payloads (silo-to-silo requests):
 *   DirectoryRegister    GrainType:String | GrainKey:String | Silo:String | Incarnation:i64 | ActivationId:Blob(16) | View:i64
 *                        response: Status:u8 (0 granted, 1 existing, 2 not owner) | Owner:String | View:i64
 *                                  | existing: Silo:String | Incarnation:i64 | ActivationId:Blob(16)
 *   DirectoryUnregister  GrainType:String | GrainKey:String | Silo:String | Incarnation:i64 | ActivationId:Blob(16)   response: empty
 *   DirectoryLookup      GrainType:String | GrainKey:String | View:i64
 *                        response: Status:u8 (0 found, 1 not found, 2 not owner) | Owner:String | View:i64
 *                                  | found: Silo:String | Incarnation:i64 | ActivationId:Blob(16)
 *   DirectoryCollect     View:i64 | Owner:String | PartitionCount:u32 | Partition:i32*
 *                        response: Count:u32 | (GrainType:String | GrainKey:String | ActivationId:Blob(16))*
 */

/// <summary>Where a grain is activated: a silo incarnation and the activation's registration id.</summary>
internal readonly record struct DirectoryEntry(string Silo, long Incarnation, Guid ActivationId)
{
    public void Write(WireWriter writer) => writer.String(Silo).Int64(Incarnation).Blob(ActivationId.ToByteArray());

    public static DirectoryEntry Read(ref WireReader reader) => new(reader.String(), reader.Int64(), ReadGuid(ref reader));

    public static Guid ReadGuid(ref WireReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.BlobSpan();
        return bytes.Length == 16 ? new Guid(bytes) : throw new SiloProtocolException($"an activation id has {bytes.Length} bytes, not 16");
    }
}

/// <summary>The outcomes of a directory request.</summary>
internal enum DirectoryStatus : byte
{
    /// <summary>Register: the entry is the requester's. Lookup: found.</summary>
    Done = 0,

    /// <summary>Register: another live activation exists (in the reply). Lookup: none.</summary>
    Other = 1,

    /// <summary>The silo asked does not own the grain's directory range in its view.</summary>
    NotOwner = 2,
}

/// <summary>A directory reply: status, the replying owner and its view, and an entry when there is one.</summary>
internal readonly record struct DirectoryReply(DirectoryStatus Status, string Owner, long View, DirectoryEntry? Entry)
{
    public byte[] Encode()
    {
        var writer = new WireWriter().Byte((byte)Status).String(Owner).Int64(View).Bool(Entry.HasValue);
        Entry?.Write(writer);
        return writer.ToArray();
    }

    public static DirectoryReply Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        var status = (DirectoryStatus)reader.Byte();
        string owner = reader.String();
        long view = reader.Int64();
        DirectoryEntry? entry = reader.Bool() ? DirectoryEntry.Read(ref reader) : null;
        reader.End("a directory reply");
        return status <= DirectoryStatus.NotOwner ? new DirectoryReply(status, owner, view, entry) : throw new SiloProtocolException($"unknown directory status {(byte)status}");
    }
}

/// <summary>Encodes the directory requests.</summary>
internal static class DirectoryRequests
{
    public static byte[] Register(GrainId grainId, DirectoryEntry entry, long view)
    {
        var writer = new WireWriter().String(grainId.Type).String(grainId.Key);
        entry.Write(writer);
        return writer.Int64(view).ToArray();
    }

    public static (GrainId GrainId, DirectoryEntry Entry, long View) DecodeRegister(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        GrainId grainId = ReadGrainId(ref reader);
        DirectoryEntry entry = DirectoryEntry.Read(ref reader);
        long view = reader.Int64();
        reader.End("DirectoryRegister");
        return (grainId, entry, view);
    }

    public static byte[] Unregister(GrainId grainId, DirectoryEntry entry)
    {
        var writer = new WireWriter().String(grainId.Type).String(grainId.Key);
        entry.Write(writer);
        return writer.ToArray();
    }

    public static (GrainId GrainId, DirectoryEntry Entry) DecodeUnregister(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        GrainId grainId = ReadGrainId(ref reader);
        DirectoryEntry entry = DirectoryEntry.Read(ref reader);
        reader.End("DirectoryUnregister");
        return (grainId, entry);
    }

    public static byte[] Lookup(GrainId grainId, long view) => new WireWriter().String(grainId.Type).String(grainId.Key).Int64(view).ToArray();

    public static (GrainId GrainId, long View) DecodeLookup(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        GrainId grainId = ReadGrainId(ref reader);
        long view = reader.Int64();
        reader.End("DirectoryLookup");
        return (grainId, view);
    }

    public static byte[] Collect(long view, string owner, IReadOnlyCollection<int> partitions)
    {
        var writer = new WireWriter().Int64(view).String(owner).UInt32((uint)partitions.Count);
        foreach (int p in partitions)
        {
            writer.Int32(p);
        }

        return writer.ToArray();
    }

    public static (long View, string Owner, int[] Partitions) DecodeCollect(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        long view = reader.Int64();
        string owner = reader.String();
        int[] partitions = new int[reader.Count(4, "partition")];
        for (int i = 0; i < partitions.Length; i++)
        {
            partitions[i] = reader.Int32();
        }

        reader.End("DirectoryCollect");
        return (view, owner, partitions);
    }

    public static byte[] CollectReply(IReadOnlyCollection<(GrainId GrainId, Guid ActivationId)> registrations)
    {
        var writer = new WireWriter().UInt32((uint)registrations.Count);
        foreach ((GrainId grainId, Guid activationId) in registrations)
        {
            writer.String(grainId.Type).String(grainId.Key).Blob(activationId.ToByteArray());
        }

        return writer.ToArray();
    }

    public static (GrainId GrainId, Guid ActivationId)[] DecodeCollectReply(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        var registrations = new (GrainId, Guid)[reader.Count(26, "registration")];
        for (int i = 0; i < registrations.Length; i++)
        {
            registrations[i] = (ReadGrainId(ref reader), DirectoryEntry.ReadGuid(ref reader));
        }

        reader.End("a DirectoryCollect reply");
        return registrations;
    }

    public static GrainId ReadGrainId(ref WireReader reader)
    {
        string type = reader.String();
        string key = reader.String();
        if (type.Length == 0 || key.Length == 0 || type.Contains('/', StringComparison.Ordinal))
        {
            throw new SiloProtocolException($"invalid grain id '{type}/{key}'");
        }

        return new GrainId(type, key);
    }
}
