"""Applications in every deadline state as of 2026-11-25, for GUI tests
and screenshots."""

import datetime as dt

from desktop_app.services import applications
from desktop_app.services import steps as step_service

TODAY = dt.date(2026, 11, 25)
D = dt.date

BASE = {
    "channel": "in_person",
    "applicant_type": "natural_person",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "address": "浙江省杭州市西湖区文三路1号",
    "postcode": "310012",
}


def add(register, name, receipt, content, steps=()):
    rec = dict(BASE, applicant_name=name, receipt_date=receipt, info_description=content)
    app_id = applications.register_application(register, rec, today=TODAY).app_id
    for kind, date, data in steps:
        step_service.record_step(register, app_id, kind, date, data, today=TODAY)
    return app_id


def build(register) -> dict[str, int]:
    ids = {}
    # 20 working days after 2026-10-27 is 2026-11-24: overdue by one day
    ids["overdue"] = add(register, "王建国", D(2026, 10, 27), "某路段拓宽工程的征收补偿方案")
    ids["overdue2"] = add(register, "李秀英", D(2026, 10, 20), "2025年度区级财政专项资金使用情况")
    ids["due_today"] = add(register, "赵明", D(2026, 10, 28), "老旧小区加装电梯补贴的审批文件")
    ids["due_soon"] = add(register, "陈芳", D(2026, 10, 30), "城区河道整治工程环评批复")
    ids["running"] = add(register, "周强", D(2026, 11, 16), "本街道2026年拆违计划")
    ids["correction"] = add(register, "吴敏", D(2026, 11, 10), "关于我家房屋的那个文件",
                            [("correction_requested", D(2026, 11, 12),
                              {"items": "请写明所需文件的名称、文号或其他特征描述", "period_days": 15})])
    ids["third_party"] = add(register, "郑磊", D(2026, 11, 2), "某企业排污许可证申请材料",
                             [("third_party_sent", D(2026, 11, 16), {"third_party": "某某化工有限公司"})])
    ids["fee"] = add(register, "孙丽", D(2026, 11, 3), "近五年全部行政处罚决定书（约900页）",
                     [("fee_notice", D(2026, 11, 18), {"amount": 300, "method": "按量计收"})])
    ids["extended"] = add(register, "钱伟", D(2026, 10, 12), "区政府常务会议纪要（2026年第1至12次）",
                          [("extension", D(2026, 11, 5), {"approver": "张主任", "approved_on": "2026-11-05",
                                                         "reason": "涉及多个部门，需调取档案核查", "days": 20})])
    return ids
