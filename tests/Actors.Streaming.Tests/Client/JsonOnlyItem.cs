namespace Actors.Streaming.Tests.Client;

/// <summary>An item type without a generated codec, which a silo carries as JSON (an opt-in) and the test client cannot decode.</summary>
public sealed record JsonOnlyItem(int Value);
