using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Governance.Domain.Facts;

namespace Governance.Benchmarks.Synthetic;

/// <summary>
/// Writes a fact as the GraphQL <c>FactInput</c> object (docs/schema.graphql) with a
/// <see cref="Utf8JsonWriter"/> straight into a buffer: no intermediate objects, so the client's share
/// of the cost stays small and measurable.
/// </summary>
public sealed class FactJson
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

    public FactJson() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    /// <summary>The fact's JSON; valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(FactDraft fact)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var w = _writer;
        w.WriteStartObject();
        w.WriteString("source"u8, fact.Source);
        w.WriteString("externalId"u8, fact.ExternalId);
        w.WriteString("accountId"u8, fact.AccountId);
        w.WriteString("occurredAt"u8, Timestamp(fact.OccurredAt));
        if (fact.Supersedes is not null)
        {
            w.WriteString("supersedes"u8, fact.Supersedes);
        }

        w.WriteStartObject(FactValidation.PayloadField(fact.Kind));
        switch (fact.Payload)
        {
            case AccountCreatedPayload p:
                w.WriteString("name"u8, p.Name);
                Optional(w, "segment"u8, p.Segment);
                Optional(w, "ownerExecutiveId"u8, p.OwnerExecutiveId);
                break;
            case AccountClosedPayload p:
                Optional(w, "reason"u8, p.Reason);
                break;
            case AccountAssignedPayload p:
                w.WriteString("executiveId"u8, p.ExecutiveId);
                w.WriteString("effectiveFrom"u8, p.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case MrrChangedPayload p:
                w.WriteString("movement"u8, p.Movement switch
                {
                    MrrMovement.New => "NEW",
                    MrrMovement.Expansion => "EXPANSION",
                    MrrMovement.Contraction => "CONTRACTION",
                    MrrMovement.Churn => "CHURN",
                    _ => "REACTIVATION",
                });
                w.WriteNumber("amount"u8, p.Amount);
                w.WriteString("currency"u8, p.Currency);
                break;
            case SeatsChangedPayload p:
                w.WriteNumber("seatsDelta"u8, p.SeatsDelta);
                Optional(w, "plan"u8, p.Plan);
                break;
            case UsageRecordedPayload p:
                w.WriteString("userId"u8, p.UserId);
                w.WriteString("event"u8, p.Event);
                Optional(w, "feature"u8, p.Feature);
                w.WriteNumber("count"u8, p.Count);
                break;
            case OnboardingMilestonePayload p:
                w.WriteString("milestone"u8, p.Milestone);
                Optional(w, "userId"u8, p.UserId);
                break;
            case SurveyRespondedPayload p:
                w.WriteString("survey"u8, p.Survey switch { SurveyType.Nps => "NPS", SurveyType.Csat => "CSAT", _ => "CES" });
                w.WriteNumber("score"u8, p.Score);
                Optional(w, "respondentId"u8, p.RespondentId);
                break;
            case TicketOpenedPayload p:
                w.WriteString("ticketId"u8, p.TicketId);
                break;
            case TicketFirstResponsePayload p:
                w.WriteString("ticketId"u8, p.TicketId);
                w.WriteString("openedAt"u8, Timestamp(p.OpenedAt));
                break;
            case TicketResolvedPayload p:
                w.WriteString("ticketId"u8, p.TicketId);
                w.WriteString("openedAt"u8, Timestamp(p.OpenedAt));
                w.WriteNumber("contacts"u8, p.Contacts);
                break;
            case RenewalPayload p:
                if (p.Amount is { } amount)
                {
                    w.WriteNumber("amount"u8, amount);
                }

                Optional(w, "currency"u8, p.Currency);
                break;
            case ReferralPayload p:
                Optional(w, "referralId"u8, p.ReferralId);
                break;
            case QbrHeldPayload p:
                Optional(w, "notes"u8, p.Notes);
                break;
            default:
                throw new NotSupportedException($"No JSON for {fact.Payload.GetType().Name}.");
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return _buffer.WrittenSpan;
    }

    private static void Optional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>A UTC <see cref="DateTime"/> is written as ISO 8601 with a Z and no allocation.</summary>
    private static DateTime Timestamp(DateTimeOffset at) => at.UtcDateTime;
}
