using Actors.Wal.Index;

namespace Actors.Wal.Writing;

/// <summary>A relocation copy of an idle stream in flight.</summary>
/// <param name="Tiers">The tiers whose idle slot the committer replaces.</param>
/// <param name="Slot">The stream's idle slot in <paramref name="Tiers"/>.</param>
/// <param name="Tentative">The stream's entry after the copy (what the idle slot holds once it is applied).</param>
/// <param name="Position">The copy's position.</param>
internal readonly record struct IdleCopy(IndexTiers Tiers, int Slot, StreamEntry Tentative, long Position);
