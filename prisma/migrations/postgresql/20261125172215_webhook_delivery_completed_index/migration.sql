-- CreateIndex
CREATE INDEX "WebhookDelivery_completedAt_id_idx" ON "WebhookDelivery"("completedAt", "id");
