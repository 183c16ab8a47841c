namespace Actors.Cluster.Storage;

/// <summary>One file of a partition's logs, as a transfer lists it.</summary>
/// <param name="Store">The write-ahead-log store the file belongs to.</param>
/// <param name="RelativePath">Its path under the partition's directory in that store ('/'-separated).</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="Crc">The CRC32C of its content.</param>
internal sealed record PartitionFile(string Store, string RelativePath, long Length, uint Crc);
