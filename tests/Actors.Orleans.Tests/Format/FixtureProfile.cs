using MessagePack;

namespace Actors.Orleans.Tests.Format;

/// <summary>Version 2 of the fixture type (see Fixtures/README.md): Visits removed, Email added.</summary>
[GenerateSerializer]
[Alias("actors.tests.fixture-profile")]
[MessagePackObject(keyAsPropertyName: true)]
public sealed class FixtureProfile
{
    [Id(0)]
    public string Name { get; set; } = "";

    [Id(2)]
    public string Nickname { get; set; } = "";

    [Id(3)]
    public string Email { get; set; } = "";
}
