namespace Actors.Wire;

/// <content>The routing frames (kinds 9 and 10; layout in the comment at the top of GatewayFrameCodec.cs).</content>
public static partial class GatewayFrameCodec
{
    private const ushort NoGateway = 0xFFFF;

    /// <summary>Encodes a RoutingRequest frame.</summary>
    public static byte[] EncodeRoutingRequest() => new FrameWriter(GatewayFrameKind.RoutingRequest, 0).Complete();

    /// <summary>Checks that a RoutingRequest body is empty.</summary>
    /// <exception cref="GatewayProtocolException">The body is not empty.</exception>
    public static void DecodeRoutingRequest(ReadOnlySpan<byte> body) => new FrameReader(body).EnsureEnd("RoutingRequest");

    /// <summary>Encodes a RoutingTable frame.</summary>
    /// <exception cref="ArgumentException">The table is inconsistent (a gateway index out of range, more than 65,534 gateways, no partitions).</exception>
    public static byte[] EncodeRoutingTable(GatewayRoutingTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(table.PartitionCount, 1, nameof(table));
        if (table.Gateways.Count >= NoGateway || table.PartitionGateways.Count != table.PartitionCount
            || table.PartitionGateways.Any(g => g < -1 || g >= table.Gateways.Count))
        {
            throw new ArgumentException($"The routing table (version {table.Version}) is inconsistent: {table.Gateways.Count} gateways, {table.PartitionGateways.Count} owners for {table.PartitionCount} partitions.", nameof(table));
        }

        long size = 8 + 4 + 2 + table.Gateways.Sum(StringSize) + (2L * table.PartitionCount) + 4
            + table.GrainTypes.Sum(t => StringSize(t.Key) + StringSize(t.Value));
        var writer = new FrameWriter(GatewayFrameKind.RoutingTable, size);
        writer.WriteUInt64((ulong)table.Version);
        writer.WriteUInt32((uint)table.PartitionCount);
        writer.WriteUInt16((ushort)table.Gateways.Count);
        foreach (string gateway in table.Gateways)
        {
            writer.WriteString(gateway);
        }

        foreach (int gateway in table.PartitionGateways)
        {
            writer.WriteUInt16(gateway < 0 ? NoGateway : (ushort)gateway);
        }

        writer.WriteUInt32((uint)table.GrainTypes.Count);
        foreach ((string name, string grainType) in table.GrainTypes)
        {
            writer.WriteString(name);
            writer.WriteString(grainType);
        }

        return writer.Complete();
    }

    /// <summary>Decodes a RoutingTable body.</summary>
    /// <exception cref="GatewayProtocolException">The body is not a valid RoutingTable.</exception>
    public static GatewayRoutingTable DecodeRoutingTable(ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        long version = (long)reader.ReadUInt64();
        uint partitionCount = reader.ReadUInt32();
        if (partitionCount is 0 or > 1 << 20)
        {
            throw new GatewayProtocolException($"routing table with {partitionCount} partitions");
        }

        var gateways = new string[reader.ReadUInt16()];
        for (int i = 0; i < gateways.Length; i++)
        {
            gateways[i] = reader.ReadString();
        }

        var owners = new int[partitionCount];
        for (int p = 0; p < owners.Length; p++)
        {
            ushort gateway = reader.ReadUInt16();
            if (gateway != NoGateway && gateway >= gateways.Length)
            {
                throw new GatewayProtocolException($"routing table names gateway {gateway} of {gateways.Length} for partition {p}");
            }

            owners[p] = gateway == NoGateway ? -1 : gateway;
        }

        uint typeCount = reader.ReadUInt32();
        var grainTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (uint i = 0; i < typeCount; i++)
        {
            string name = reader.ReadString();
            if (!grainTypes.TryAdd(name, reader.ReadString()))
            {
                throw new GatewayProtocolException($"routing table names '{name}' twice");
            }
        }

        reader.EnsureEnd("RoutingTable");
        return new GatewayRoutingTable(version, (int)partitionCount, gateways, owners, grainTypes);
    }
}
