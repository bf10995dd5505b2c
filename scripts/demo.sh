#!/usr/bin/env bash
# The seed's three usage examples, exactly as the guide writes them (only the host may differ).
set -euo pipefail
BASE="${DEMO_BASE:-http://localhost:8080}"

echo "== Persist High-Frequency Session =="
curl -sS -X POST "$BASE/mcp/message" \
  -H "Content-Type: application/json" \
  -d '{
    "method": "tools/call",
    "params": {
      "name": "persist_session",
      "arguments": {
        "sessionId": "session-123",
        "userId": "user-456",
        "status": "active",
        "context": {"currentTopic": "product_inquiry"},
        "metadata": {"source": "web_chat"},
        "cacheStrategy": "WITH_CONTEXT"
      }
    }
  }'
echo; echo

echo "== Persist Interaction with Response Caching =="
curl -sS -X POST "$BASE/mcp/message" \
  -H "Content-Type: application/json" \
  -d '{
    "method": "tools/call",
    "params": {
      "name": "persist_interaction",
      "arguments": {
        "interactionId": "int-789",
        "sessionId": "session-123",
        "role": "assistant",
        "request": "What are your product features?",
        "response": "Our product offers...",
        "context": {"intent": "product_info"},
        "processingTimeMs": 150,
        "cacheStrategy": "RESPONSE_ONLY"
      }
    }
  }'
echo; echo

echo "== Store Evaluation Data =="
curl -sS -X POST "$BASE/mcp/message" \
  -H "Content-Type: application/json" \
  -d '{
    "method": "tools/call",
    "params": {
      "name": "persist_evaluation",
      "arguments": {
        "entityId": "session-123",
        "entityType": "session",
        "evaluationData": {
          "satisfaction_score": 4.5,
          "resolution_time": 300,
          "topics_covered": ["product_info", "pricing"],
          "sentiment": "positive"
        }
      }
    }
  }'
echo
