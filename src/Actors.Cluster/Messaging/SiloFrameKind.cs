namespace Actors.Cluster.Messaging;

/// <summary>The kind byte of a silo-to-silo frame (layouts in <see cref="SiloFrames"/>).</summary>
internal enum SiloFrameKind : byte
{
    Hello = 1,
    Welcome = 2,
    Auth = 3,
    Rejected = 4,
    Request = 5,
    Response = 6,
    GoAway = 7,
    OneWay = 8,
}
