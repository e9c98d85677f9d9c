package org.licensing.notification.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ReminderMessageCodecTest {

    final ReminderQueue codec = new ReminderQueue(null, "q", "dlq", new ObjectMapper());

    @Test
    void roundTrips() {
        ReminderMessage reminder = ReminderMessage.reminder("lic-1", LocalDate.of(2027, 3, 1), 30);
        assertEquals(reminder, codec.decode(codec.encode(reminder)));
        ReminderMessage digest = ReminderMessage.digest(LocalDate.of(2027, 3, 1));
        assertEquals(digest, codec.decode(codec.encode(digest)));
        assertEquals("{\"type\":\"REMINDER\",\"licenseId\":\"lic-1\",\"expiryDay\":\"2027-03-01\",\"thresholdDays\":30}",
                codec.encode(reminder));
    }

    @Test
    void poisonBodiesAreMalformed() {
        for (String body : new String[] { "", "not json", "[]", "{\"type\":\"NOPE\"}",
                "{\"type\":\"REMINDER\",\"licenseId\":\"x\"}", "{\"type\":\"DIGEST\",\"date\":\"2027-02-30\"}",
                "{\"type\":\"REMINDER\",\"licenseId\":\"x\",\"expiryDay\":\"2027-01-01\",\"thresholdDays\":-1}" }) {
            assertThrows(MalformedMessageException.class, () -> codec.decode(body), body);
        }
    }
}
