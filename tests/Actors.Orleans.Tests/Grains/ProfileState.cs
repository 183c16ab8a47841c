using MessagePack;

namespace Actors.Orleans.Tests.Grains;

[GenerateSerializer]
[MessagePackObject(keyAsPropertyName: true)]
public sealed class ProfileState
{
    [Id(0)]
    public string Name { get; set; } = "";

    [Id(1)]
    public int Visits { get; set; }

    [Id(2)]
    public byte[] Blob { get; set; } = [];
}
